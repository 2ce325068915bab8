using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Live;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>
/// The property the whole read side rests on: after any random session, the live view at sequence S equals what
/// the engine itself reports at S — accounts with their money, open positions and orders, symbols, groups,
/// symbol groups and prices (raw and per group).
/// </summary>
public sealed class ProjectionMatchesEngineTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(2024)]
    public async Task The_view_equals_the_engine_at_every_checkpoint_of_a_random_session(int seed)
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 0, beforeView: LiveHarness.DemoWithPrices());
        var session = new LiveRandomSession(h, seed);
        for (var checkpoint = 0; checkpoint < 12; checkpoint++)
        {
            await session.PlayAsync(60);
            await AssertViewEqualsEngineAsync(h, $"seed {seed}, checkpoint {checkpoint}");
        }
        Assert.True(session.Deals > 20, $"only {session.Deals} deals were opened");
    }

    [Fact]
    public async Task With_figures_every_interval_balances_profiles_and_trades_are_exact_at_once_and_figures_catch_up_after_the_interval()
    {
        await using var h = await LiveHarness.StartAsync(figuresIntervalMs: 200, beforeView: LiveHarness.DemoWithPrices());
        var session = new LiveRandomSession(h, 5);
        await session.PlayAsync(200);
        // Ticks moved floating profit; an interval of engine time later the next batch carries every changed figure.
        h.Clock.Now += 1_000;
        await h.OkAsync(new ApplyTick("EURUSD", 1.10100m, 1.10102m, h.Clock.Now));
        await AssertViewEqualsEngineAsync(h, "after one interval");
    }

    internal static async Task AssertViewEqualsEngineAsync(LiveHarness h, string where)
    {
        var engine = await h.SettledEngineStateAsync();
        var view = h.View;
        Assert.Equal(engine.Sequence, view.Sequence);
        AssertSame(engine.Accounts.OrderBy(a => a.Profile.Login), view.GetAccounts(GroupMask.All).OrderBy(a => a.Profile.Login), where + ": accounts");
        AssertSame(engine.Positions.OrderBy(t => t.Ticket), view.GetPositions().OrderBy(t => t.Ticket), where + ": positions");
        AssertSame(engine.PendingOrders.OrderBy(t => t.Ticket), view.GetPendingOrders().OrderBy(t => t.Ticket), where + ": orders");
        AssertSame(engine.Symbols, view.GetSymbols(), where + ": symbols");
        AssertSame(engine.SymbolGroups, view.GetSymbolGroups(), where + ": symbol groups");
        AssertSame(engine.Groups, view.GetGroups(), where + ": groups");
        foreach (var a in engine.Accounts)
        {
            Assert.Equal(a.Profile.Group, view.GroupOf(a.Profile.Login));
            Assert.Equal(a.Profile.RegistrationSequence, view.RegistrationOf(a.Profile.Login));
            AssertSame(engine.Positions.Where(p => p.Login == a.Profile.Login), view.GetPositions(a.Profile.Login), where + $": positions of {a.Profile.Login}");
        }
        var groups = engine.Groups.Select(g => g.Name).ToList();
        var prices = await h.QueryAsync(r => engine.Symbols.SelectMany(s => groups.Select(g => (s.Name, (string?)g, r.GetQuote(s.Name, g))).Append((s.Name, (string?)null, r.GetQuote(s.Name)))).ToList());
        foreach (var (symbol, group, quote) in prices) Assert.True(quote == view.GetQuote(symbol, group), $"{where}: price of {symbol} for {group ?? "raw"}: engine {quote}, view {view.GetQuote(symbol, group)}");
        foreach (var t in engine.Positions) Assert.Equal(Json(t), Json(view.GetOpenTrade(t.Ticket)));
    }

    /// <summary>Compares record by record through JSON (configuration records hold lists), naming the first difference.</summary>
    private static void AssertSame<T>(IEnumerable<T> expected, IEnumerable<T> actual, string what)
    {
        var e = expected.Select(Json).ToList();
        var a = actual.Select(Json).ToList();
        for (var i = 0; i < Math.Min(e.Count, a.Count); i++) Assert.True(e[i] == a[i], $"{what}: item {i} differs:\nengine {e[i]}\nview   {a[i]}");
        Assert.True(e.Count == a.Count, $"{what}: engine has {e.Count}, view {a.Count}:\nengine {string.Join("\n", e.Except(a))}\nview {string.Join("\n", a.Except(e))}");
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
