using Dealwire.Engine.Model;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>
/// The live view's indexed trade pages (the console's positions and orders) against their plain definition, at every
/// checkpoint of a random session (opens, closes, pending orders, deletions): for each filter — all, one symbol, one
/// login, a group predicate — and window, the page is the definition's slice in ticket order and the count its total.
/// </summary>
public sealed class TradePageTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(4242)]
    public async Task Every_page_equals_the_definition_at_every_checkpoint(int seed)
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 0, beforeView: LiveHarness.DemoWithPrices());
        var session = new LiveRandomSession(h, seed);
        var compared = 0;
        for (var checkpoint = 0; checkpoint < 8; checkpoint++)
        {
            await session.PlayAsync(60);
            var engine = await h.SettledEngineStateAsync();
            var groupOf = engine.Accounts.ToDictionary(a => a.Profile.Login, a => a.Profile.Group);
            var logins = engine.Positions.Concat(engine.PendingOrders).Select(t => t.Login).Distinct().Take(3).ToList();
            foreach (var pending in new[] { false, true })
            {
                var trades = (pending ? engine.PendingOrders : engine.Positions).OrderBy(t => t.Ticket).ToList();
                foreach (var symbol in new string?[] { null, "", "EURUSD", "XAUUSD", "NOPE" })
                {
                    foreach (var login in logins.Select(l => (long?)l).Append(null).Append(987_654L))
                    {
                        foreach (var (name, visible) in new (string, Func<string, bool>)[] { ("all", _ => true), ("demo only", g => g == "demo"), ("none", _ => false) })
                        {
                            var expected = trades.Where(t => (login is null || t.Login == login) && (string.IsNullOrEmpty(symbol) || t.Symbol == symbol)
                                && groupOf.TryGetValue(t.Login, out var g) && visible(g)).ToList();
                            foreach (var (skip, take) in new[] { (0, 5), (3, 4), (0, 1000), (expected.Count, 5) })
                            {
                                var page = h.View.GetTradePage(pending, login, symbol, visible, skip, take);
                                var where = $"seed {seed} cp {checkpoint} pending={pending} symbol={symbol} login={login} {name} [{skip},{take}]";
                                Assert.True(expected.Count == page.Count, where + $": count {page.Count}, expected {expected.Count}");
                                Assert.True(expected.Skip(skip).Take(take).Select(t => t.Ticket).SequenceEqual(page.Rows.Select(t => t.Ticket)), where + ": rows");
                                Assert.True(expected.Skip(skip).Take(take).SequenceEqual(page.Rows), where + ": records");
                                compared++;
                            }
                        }
                    }
                }
            }
        }
        Assert.True(session.Deals > 20, $"only {session.Deals} deals were opened");
        Assert.True(compared > 1000);
    }

    [Fact]
    public async Task The_group_predicate_is_asked_once_per_group_not_once_per_trade()
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 0, beforeView: LiveHarness.DemoWithPrices());
        await new LiveRandomSession(h, 3).PlayAsync(120);
        await h.SettledEngineStateAsync();
        var asked = new List<string>();
        var page = h.View.GetTradePage(false, null, null, g => { asked.Add(g); return true; }, 0, 10);
        Assert.True(page.Count > 0);
        Assert.Equal(asked.Count, asked.Distinct().Count());
    }
}
