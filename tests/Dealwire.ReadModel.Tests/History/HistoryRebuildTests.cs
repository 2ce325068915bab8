using System.Data.Common;
using System.Globalization;
using System.Text;
using Dealwire.ReadModel.History;
using Dealwire.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// <c>dealwire history rebuild</c> against the live projection: a real server writes its history store while it
/// trades; then the CLI rebuilds a second, empty store from the same data directory's journal, and every table is
/// compared row by row, every column.
/// </summary>
public sealed class HistoryRebuildTests
{
    /// <summary>Each table of the schema with the key that orders its rows.</summary>
    /// <summary>
    /// Every projected table. The audit log's side rows (negative sequences: sign-ins, refusals, server start and stop)
    /// are not in the journal, so a rebuild cannot make them; it keeps those of the store it rebuilds instead.
    /// </summary>
    private static readonly (string Table, string OrderBy)[] Tables =
    [
        ("deals", "ticket"), ("orders", "ticket"), ("ledger", "id"), ("accounts", "login"), ("end_of_day", "login, day"),
        ("audit_log WHERE sequence > 0", "sequence"), ("candles", "symbol, timeframe, time"), ("ticks", "symbol, time, sequence"),
        ("projector_state", "id"),
    ];

    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    [Trait("Category", "Slow")]
    public async Task Rebuild_from_the_journal_gives_the_same_rows_as_the_live_projection(HistoryProvider provider)
    {
        await using var live = await HistoryDatabase.CreateAsync(provider);
        await using var rebuilt = await HistoryDatabase.CreateAsync(provider);
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Feed__ReplayLoop"] = "false";
        options.Environment["DEALWIRE__History__Provider"] = provider.ToString();
        options.Environment["DEALWIRE__History__ConnectionString"] = live.ConnectionString;
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();

        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            var api = new ServerApiCalls(client, server.AdminToken, server);
            var random = new Random(1313);
            var logins = new List<long> { 1000 };
            for (var a = 0; a < 3; a++)
            {
                logins.Add((await api.CallAsync("MngAddAccount", new
                {
                    group = "demo", name = $"Rebuild {a}", email = $"rebuild{a}@example.com", password = "secret1", leverage = 100, enable = 1,
                })).GetProperty("login").GetInt64());
            }
            var open = new List<(long Login, long Order)>();
            for (var i = 0; i < 150; i++)
            {
                var login = logins[random.Next(logins.Count)];
                switch (random.Next(6))
                {
                    case 0:
                        await api.CallAsync("BalanceInSync", new { login, amount = random.Next(100, 100_000) / 100m, comment = $"in-{i}" });
                        break;
                    case 1:
                        await api.CallAsync("CreditIn", new { login, amount = random.Next(100, 10_000) / 100m, comment = $"credit-{i}" });
                        break;
                    case 2 or 3:
                        await api.CallAsync("BalanceInSync", new { login, amount = 1000m, comment = $"margin-{i}" });
                        var order = (await api.CallAsync("MngOpenTradeSync", new
                        {
                            login, cmd = random.Next(2), volume = random.Next(1, 5), symbol = random.Next(2) == 0 ? "EURUSD" : "GBPUSD", sl = 0, tp = 0, comment = $"deal-{i}",
                        })).GetProperty("order").GetInt64();
                        open.Add((login, order));
                        break;
                    default:
                        if (open.Count == 0) break;
                        var pick = random.Next(open.Count);
                        await api.CallAsync("MngCloseTradeSync", new { login = open[pick].Login, order = open[pick].Order });
                        open.RemoveAt(pick);
                        break;
                }
            }
        }
        // The live store has everything the engine applied before the server stops.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var health = await server.GetHealthAsync();
            var history = health.GetProperty("history");
            if (history.GetProperty("lag").GetInt64() == 0 && history.GetProperty("appliedSequence").GetInt64() == health.GetProperty("sequence").GetInt64()) break;
            Assert.True(DateTime.UtcNow < deadline, "the live projection did not catch up: " + health);
            await Task.Delay(100);
        }
        Assert.Equal(0, await server.StopAsync());

        var result = await DealwireCli.RunAsync(["history", "rebuild", "--data-dir", server.DataDir],
            new Dictionary<string, string>
            {
                ["DEALWIRE__History__Provider"] = provider.ToString(),
                ["DEALWIRE__History__ConnectionString"] = rebuilt.ConnectionString,
            }, null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());

        var dealRows = 0;
        foreach (var (table, orderBy) in Tables)
        {
            var expected = await DumpAsync(provider, live.ConnectionString, table, orderBy);
            var actual = await DumpAsync(provider, rebuilt.ConnectionString, table, orderBy);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"{table} row {i}:\n live    {expected[i]}\n rebuilt {actual[i]}");
            if (table == "deals") dealRows = expected.Count;
        }
        Assert.True(dealRows > 20, $"only {dealRows} deals: the session should have closed many");
    }

    /// <summary>Every row of a table in key order, each as "column=value|…" with invariant formatting.</summary>
    private static async Task<List<string>> DumpAsync(HistoryProvider provider, string connectionString, string table, string orderBy)
    {
        await using DbConnection conn = provider == HistoryProvider.Sqlite
            ? new SqliteConnection(connectionString + ";Pooling=false")
            : new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {table} ORDER BY {orderBy}";
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
        {
            var row = new StringBuilder();
            for (var c = 0; c < r.FieldCount; c++)
            {
                var value = r.IsDBNull(c) ? "null" : Convert.ToString(r.GetValue(c), CultureInfo.InvariantCulture);
                row.Append(r.GetName(c)).Append('=').Append(value).Append('|');
            }
            rows.Add(row.ToString());
        }
        return rows;
    }
}
