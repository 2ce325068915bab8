using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;

namespace Dealwire.ReadModel.Tests.Live;

/// <summary>Engine time the test moves by hand, so rollovers and expirations happen when a test says.</summary>
internal sealed class ManualClock(long start) : IEngineClock
{
    public long Now = start;

    public long UnixMilliseconds() => Interlocked.Read(ref Now);
}

/// <summary>
/// A running engine (no journal: batches release at once) with the committed stream and a live view following it,
/// wired as the host wires them: stream attached before start, view seeded at a batch edge after.
/// </summary>
internal sealed class LiveHarness : IAsyncDisposable
{
    public static readonly long Monday10 = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private LiveHarness(EngineRunner runner, CommittedStream stream, LiveView view, ManualClock clock)
    {
        Runner = runner;
        Stream = stream;
        View = view;
        Clock = clock;
    }

    public EngineRunner Runner { get; }
    public CommittedStream Stream { get; }
    public LiveView View { get; }
    public ManualClock Clock { get; }

    /// <param name="beforeView">Commands applied before the view is seeded (so the seed, not the stream, carries them).</param>
    /// <param name="streamOptions">The committed stream's options (its window, for a test that laps the view).</param>
    public static async Task<LiveHarness> StartAsync(int figuresIntervalMs = 0, IEnumerable<EngineCommand>? beforeView = null, CommittedStreamOptions? streamOptions = null)
    {
        var engine = new TradingEngine();
        var clock = new ManualClock(Monday10);
        var runner = new EngineRunner(engine, clock: clock, options: new EngineRunnerOptions { FiguresIntervalMs = figuresIntervalMs });
        var stream = new CommittedStream(engine.LastSequence, streamOptions);
        runner.AddCommittedSink(stream);
        var view = new LiveView();
        runner.Start();
        var h = new LiveHarness(runner, stream, view, clock);
        foreach (var c in beforeView ?? []) await h.OkAsync(c);
        await view.StartAsync(runner, stream);
        return h;
    }

    public static IEnumerable<EngineCommand> DemoWithPrices()
    {
        foreach (var c in DemoDefaults.Commands()) yield return c;
        yield return new ApplyTick("EURUSD", 1.10000m, 1.10002m, Monday10);
        yield return new ApplyTick("GBPUSD", 1.25000m, 1.25002m, Monday10);
        yield return new ApplyTick("USDJPY", 150.000m, 150.010m, Monday10);
        yield return new ApplyTick("XAUUSD", 2000.00m, 2000.50m, Monday10);
        yield return new ApplyTick("US500", 5000.0m, 5000.5m, Monday10);
        yield return new ApplyTick("BTCUSD", 60000.00m, 60010.00m, Monday10);
    }

    public async Task<CommandResult<object>> ApplyAsync(EngineCommand command) => await Runner.SubmitAsync(command);

    public async Task<object?> OkAsync(EngineCommand command)
    {
        var result = await Runner.SubmitAsync(command);
        Assert.True(result.IsOk, $"{command.GetType().Name} failed: {result.Code} {result.Message}");
        return result.Value;
    }

    public Task<T> QueryAsync<T>(Func<IEngineReader, T> query) => Runner.QueryAsync(query);

    /// <summary>The engine's live state at a batch edge, once the view has applied everything up to it.</summary>
    public async Task<LiveSeed> SettledEngineStateAsync()
    {
        var state = await Runner.QueryAtBatchEdgeAsync(LiveSeed.From);
        await View.WaitForAsync(state.Sequence).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return state;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.StopAsync();
        await View.DisposeAsync();
        await Stream.DisposeAsync();
    }
}
