using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Host.Configuration;
using Dealwire.Host.Serving;
using Dealwire.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Host.Tests.Defaults;

/// <summary>
/// A replica that opens a leadership completes the embedded default when the log holds none of it or only its first
/// commands: a first leader deposed before or half-way through the fifteen commands left a cluster without symbols,
/// where no tick is ever accepted and no gateway or replica is ever priced. Anything else is an operator's
/// configuration and stays as it is.
/// </summary>
public sealed class CompleteDefaultsTests
{
    private sealed class FixedClock : IEngineClock
    {
        public long UnixMilliseconds() => 1_767_225_600_000;
    }

    [Fact]
    public async Task An_empty_engine_gets_the_whole_default()
    {
        await using var runner = Start();
        var firstStart = FirstStartOn(runner);

        await firstStart.CompleteDefaultsAsync(CancellationToken.None);

        Assert.True(firstStart.AppliedDefaults);
        await AssertWholeDefaultAsync(runner);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(14)]
    public async Task A_default_interrupted_after_its_first_commands_is_completed_once(int committed)
    {
        await using var runner = Start();
        foreach (var command in DemoDefaults.Commands().Take(committed)) Assert.True((await runner.SubmitAsync(command)).IsOk);
        var firstStart = FirstStartOn(runner);

        await firstStart.CompleteDefaultsAsync(CancellationToken.None);
        var sequence = await runner.QueryAsync(r => r.LastSequence);
        // The next leadership finds it whole and sequences nothing.
        await FirstStartOn(runner).CompleteDefaultsAsync(CancellationToken.None);

        Assert.True(firstStart.AppliedDefaults);
        await AssertWholeDefaultAsync(runner);
        Assert.Equal(sequence, await runner.QueryAsync(r => r.LastSequence));
    }

    [Fact]
    public async Task An_operator_configuration_is_left_alone()
    {
        await using var runner = Start();
        var own = new SymbolConfig { Name = "DE40", BaseCurrency = "", ProfitCurrency = "EUR", Digits = 1 };
        Assert.True((await runner.SubmitAsync(new UpsertSymbol(own))).IsOk);

        await FirstStartOn(runner).CompleteDefaultsAsync(CancellationToken.None);

        Assert.Equal(["DE40"], await runner.QueryAsync(r => r.GetSymbols().Select(s => s.Name).ToList()));
    }

    [Fact]
    public async Task A_default_prefix_an_operator_added_to_is_left_alone()
    {
        await using var runner = Start();
        var commands = DemoDefaults.Commands();
        var accounts = commands.OfType<CreateAccount>().ToList();
        foreach (var command in commands.Where(c => c is not CreateAccount)) Assert.True((await runner.SubmitAsync(command)).IsOk);
        // The operator's own account in the demo group, before the demo accounts were ever created.
        var own = accounts[0].Profile with { Login = 5_000, Name = "Own" };
        Assert.True((await runner.SubmitAsync(accounts[0] with { Profile = own })).IsOk);
        var sequence = await runner.QueryAsync(r => r.LastSequence);

        await FirstStartOn(runner).CompleteDefaultsAsync(CancellationToken.None);

        Assert.Equal(sequence, await runner.QueryAsync(r => r.LastSequence));
        Assert.Equal([5_000L], await runner.QueryAsync(r => r.GetAccounts(GroupMask.All).Select(a => a.Profile.Login).ToList()));
    }

    private static EngineRunner Start()
    {
        var runner = new EngineRunner(new TradingEngine(), clock: new FixedClock());
        runner.Start();
        return runner;
    }

    private static FirstStart FirstStartOn(EngineRunner runner) => new(runner,
        new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), new DataDirectory(Path.GetTempPath()), new HostSettings(),
        TimeProvider.System, NullLogger<FirstStart>.Instance);

    private static async Task AssertWholeDefaultAsync(EngineRunner runner)
    {
        var commands = DemoDefaults.Commands();
        var (symbols, groups, logins) = await runner.QueryAsync(r => (
            r.GetSymbols().Select(s => s.Name).Order().ToList(),
            r.GetGroups().Select(g => g.Name).Order().ToList(),
            r.GetAccounts(GroupMask.All).Select(a => a.Profile.Login).Order().ToList()));
        Assert.Equal(commands.OfType<UpsertSymbol>().Select(c => c.Symbol.Name).Order(), symbols);
        Assert.Equal(commands.OfType<UpsertGroup>().Select(c => c.Group.Name).Order(), groups);
        Assert.Equal(commands.OfType<CreateAccount>().Select(c => c.Profile.Login).Order(), logins);
    }
}
