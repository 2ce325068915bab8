using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The small-volume tables (audit log, accounts) are written as multi-row INSERTs of about 256 parameters each (SQLite
/// looks every bound name up by a linear scan, so one big statement costs its parameter count squared). One
/// transaction then holds several statements: every row must land once, across the statement boundaries.
/// </summary>
public sealed class ChunkedInsertTests
{
    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    public async Task Audit_and_account_rows_of_one_transaction_span_several_statements_and_all_land_once(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        await using var store = db.OpenStore();
        await store.OpenAsync();
        var stream = new EngineStream();
        // 7 audit columns → 36 rows a statement, 6 account columns → 42: 100 of each make 3 statements, the last one short.
        var logins = Enumerable.Range(0, 100).Select(_ => stream.Account(1000m)).ToList();
        for (var i = 1; i <= 100; i++) stream.Ok(new PostLedger(logins[0], LedgerKind.Deposit, i) { Actor = "manager:7" });
        await store.ApplyAsync(HistoryChanges.From([stream.Cut()!]));

        var audit = (await store.GetAuditAsync(0, 1000)).Where(a => a.Actor == "manager:7").ToList();
        Assert.Equal(100, audit.Count);
        Assert.Equal(audit.Select(a => a.Sequence).Distinct().Count(), audit.Count);
        for (var i = 0; i < audit.Count; i++)
        {
            // In sequence order, each row carries its own command's amount: no row shifted into a neighbour's values.
            Assert.Contains($"\"Amount\":{i + 1},", audit[i].Payload, StringComparison.Ordinal);
        }
        foreach (var login in logins)
        {
            var account = await store.FindAccountAsync(login);
            Assert.NotNull(account);
            Assert.Equal("demo", account.Group);
        }
        var ledger = (await store.GetLedgerAsync(new HistoryQuery { Login = logins[0], Limit = int.MaxValue })).Rows;
        Assert.Equal(1000m + Enumerable.Range(1, 100).Sum(), ledger.Sum(e => e.Amount));
    }
}
