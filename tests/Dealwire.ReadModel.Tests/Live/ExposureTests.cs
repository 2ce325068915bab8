using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>
/// The exposure cells the live view keeps incrementally against their plain definition (every open position of the
/// engine's state summed by its account's group and symbol), at every checkpoint of random sessions that open, partly
/// close and close positions, move prices (floating P/L), activate pending orders, delete accounts and move accounts
/// holding positions to another group; for several group predicates.
/// </summary>
public sealed class ExposureTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(2026)]
    public async Task The_cells_equal_the_sum_of_the_positions_at_every_checkpoint(int seed)
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 0, beforeView: LiveHarness.DemoWithPrices());
        // A second hedging group, so accounts with open positions can move between groups.
        var demo = await h.QueryAsync(r => r.GetGroup("demo"))!;
        await h.OkAsync(new UpsertGroup(demo! with { Name = "demo-vip" }));
        var session = new LiveRandomSession(h, seed);
        var random = new Random(seed);
        var moves = 0;
        for (var checkpoint = 0; checkpoint < 10; checkpoint++)
        {
            await session.PlayAsync(50);
            var holders = await h.QueryAsync(r => r.GetAccounts(GroupMask.All)
                .Where(a => a.Profile.Group is "demo" or "demo-vip" && r.GetPositions(a.Profile.Login).Any()).Select(a => a.Profile).ToList());
            if (holders.Count > 0)
            {
                var profile = holders[random.Next(holders.Count)];
                var moved = await h.ApplyAsync(new UpdateAccount(profile with { Group = profile.Group == "demo" ? "demo-vip" : "demo" }));
                if (moved.Code == ReturnCode.Ok) moves++;
            }

            var engine = await h.SettledEngineStateAsync();
            var groupOf = engine.Accounts.ToDictionary(a => a.Profile.Login, a => a.Profile.Group);
            foreach (var (name, visible) in new (string, Func<string, bool>)[] { ("all", _ => true), ("demo only", g => g == "demo"), ("not demo", g => g != "demo"), ("none", _ => false) })
            {
                var expected = engine.Positions.Where(t => groupOf.TryGetValue(t.Login, out var g) && visible(g))
                    .GroupBy(t => (Group: groupOf[t.Login], t.Symbol))
                    .ToDictionary(g => g.Key, g => new ExposureCell(g.Key.Group, g.Key.Symbol, g.Count(),
                        g.Where(t => t.Command == TradeCommand.Buy).Sum(t => (long)t.Volume), g.Where(t => t.Command != TradeCommand.Buy).Sum(t => (long)t.Volume),
                        g.Sum(t => t.Profit + t.Swap)));
                var cells = h.View.GetExposure(visible);
                var where = $"seed {seed} checkpoint {checkpoint} {name}";
                Assert.True(expected.Count == cells.Count, $"{where}: {cells.Count} cells, expected {expected.Count}");
                foreach (var cell in cells)
                {
                    Assert.True(expected.TryGetValue((cell.Group, cell.Symbol), out var want), $"{where}: unexpected cell {cell}");
                    Assert.Equal(want, cell);
                }
            }
        }
        Assert.True(session.Deals > 20, $"only {session.Deals} deals were opened");
        Assert.True(moves > 0, "no account with positions changed group");
    }

    [Fact]
    public async Task The_group_predicate_is_asked_once_per_group()
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 0, beforeView: LiveHarness.DemoWithPrices());
        await new LiveRandomSession(h, 5).PlayAsync(150);
        await h.SettledEngineStateAsync();
        var asked = new List<string>();
        var cells = h.View.GetExposure(g => { asked.Add(g); return true; });
        Assert.NotEmpty(cells);
        Assert.Equal(asked.Count, asked.Distinct().Count());
    }
}
