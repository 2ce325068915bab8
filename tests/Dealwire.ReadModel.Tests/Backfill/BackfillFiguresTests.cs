using Dealwire.Engine.Events;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Backfill;
using Dealwire.ReadModel.Tests.History;
using Dealwire.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Tests.Backfill;

/// <summary>
/// Batches the stream regenerates from the journal carry the <see cref="AccountFiguresEvent"/> live batches carry
/// (it is derived, not journaled): a lapped live view or Manager API hub gets equity, margin and open positions
/// from a backfill as it does from live batches.
/// </summary>
public sealed class BackfillFiguresTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Every_backfilled_batch_ends_with_the_figures_of_the_accounts_it_changed_and_their_open_positions()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Feed__ReplayLoop"] = "false";
        long order;
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();
        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            var api = new ServerApiCalls(client, server.AdminToken, server);
            await api.CallAsync("BalanceInSync", new { login = 1000, amount = 500m, comment = "backfill" });
            order = (await api.CallAsync("MngOpenTradeSync", new { login = 1000, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0, comment = "backfill" }))
                .GetProperty("order").GetInt64();
        }
        Assert.Equal(0, await server.StopAsync());

        var batches = new List<CommittedBatch>();
        await foreach (var b in new JournalBackfill(server.DataDir, NullLogger<JournalBackfill>.Instance) { BatchCommands = 4 }.ReadAsync(0, long.MaxValue, CancellationToken.None))
        {
            batches.Add(b);
        }
        Assert.True(batches.Count > 3);
        AccountFiguresEvent? last = null;
        foreach (var batch in batches)
        {
            var changed = batch.Events.Select(e => e switch
            {
                TradeEvent t => t.Trade.Login,
                BalanceEvent b => b.Entry.Login,
                _ => 0L,
            }).Where(l => l != 0).ToHashSet();
            var figures = batch.Events.OfType<AccountFiguresEvent>().SingleOrDefault();
            if (changed.Count == 0) continue;
            Assert.NotNull(figures);
            Assert.Same(figures, batch.Events[^1]);
            Assert.Equal(batch.LastSequence, figures.Sequence);
            Assert.Superset(changed, figures.Accounts.Select(a => a.Login).ToHashSet());
            if (changed.Contains(1000)) last = figures;
        }
        Assert.NotNull(last);
        var account = Assert.Single(last.Accounts, a => a.Login == 1000);
        var balance = batches.SelectMany(b => b.Events).OfType<BalanceEvent>().Last(b => b.Entry.Login == 1000).Margin.Balance;
        Assert.Equal(balance, account.Balance);
        Assert.Contains(1000L, last.PositionLogins);
        var position = Assert.Single(last.Positions, p => p.Ticket == order);
        Assert.True(account.Margin > 0);
        Assert.Equal(account.Balance + account.Credit + position.Profit + position.Swap, account.Equity);
    }
}
