using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dealwire.Benchmarks.Gateway;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Gateway.Diagnostics;

namespace Dealwire.ServerApi.Tests.Diagnostics;

/// <summary>
/// What the command telemetry costs a traded command, against the budget of <c>CommandAllocationTests</c> (reply
/// frame + engine command). The real process always listens to <c>dealwire_command_duration_seconds</c> (the
/// Prometheus exporter): measuring a command allocates nothing. With trace export on it also listens to the Server
/// API's activity source: a command the sampler drops gets no activity. Run alone: the listeners are process-wide.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class CommandTelemetryAllocationTests
{
    private const int Warmup = 2_000;
    private const int Measured = 20_000;

    // ActivitySource.CreateActivity allocates 48 B (.NET 10) per call once any listener is attached, before a
    // sampler runs, so an unsampled command still pays the runtime that much; an Activity is several hundred bytes.
    private const int RuntimeSamplingCall = 64;

    // By name, not through ServerApiTelemetry: a listener is asked about the source while that type initializes.
    private static readonly string Source = CommandTelemetry.SourceName(GatewayProtocol.ServerApi);

    [Fact]
    public void A_measured_command_allocates_only_its_reply_frame_and_the_engine_command()
    {
        long recorded = 0;
        using var meters = DurationListener(() => Interlocked.Increment(ref recorded));

        var perCommand = MeasurePerCommand(out var frame);

        Assert.True(recorded >= Warmup + Measured, $"the histogram recorded {recorded} commands");
        var budget = Budget(frame);
        Assert.True(perCommand <= budget, $"{perCommand:0.0} bytes per measured command, budget {budget} (reply frame + engine command)");
    }

    [Fact]
    public void A_command_the_sampler_drops_gets_no_activity()
    {
        long started = 0;
        using var meters = DurationListener(() => { });
        using var activities = Listener(ActivitySamplingResult.None, () => Interlocked.Increment(ref started));

        var perCommand = MeasurePerCommand(out var frame);

        Assert.Equal(0, started);
        var budget = Budget(frame) + RuntimeSamplingCall;
        Assert.True(perCommand <= budget, $"{perCommand:0.0} bytes per unsampled command, budget {budget} (reply frame + engine command + the runtime's sampling call)");
    }

    [Fact]
    public void A_sampled_command_costs_its_activity_so_the_measurement_can_fail()
    {
        long started = 0;
        using var activities = Listener(ActivitySamplingResult.AllDataAndRecorded, () => Interlocked.Increment(ref started));

        var perCommand = MeasurePerCommand(out var frame);

        Assert.InRange(started, Warmup + Measured, long.MaxValue);
        Assert.True(perCommand > Budget(frame) + RuntimeSamplingCall, $"{perCommand:0.0} bytes per sampled command");
    }

    private static MeterListener DurationListener(Action recorded)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name == "dealwire_command_duration_seconds") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            if (tags.Length == 2) recorded();
        });
        listener.Start();
        return listener;
    }

    private static ActivityListener Listener(ActivitySamplingResult sampling, Action started)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStarted = _ => started(),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static double MeasurePerCommand(out byte[] frame)
    {
        var gateway = new InProcessGateway();
        var line = gateway.Line("MngOpenTrade", """{"login":1000,"cmd":0,"volume":100,"symbol":"EURUSD","sl":0,"tp":0}""", extId: "42");
        frame = gateway.Run(line);
        for (var i = 0; i < Warmup; i++) gateway.Run(line);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++) gateway.Run(line);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;
    }

    private static long Budget(byte[] frame)
    {
        var length = frame.Length;
        return BytesOf(() => new byte[length]) + BytesOf(() => new OpenPosition(InProcessGateway.Login, "EURUSD", TradeCommand.Buy, 100)
        {
            StopLoss = 0, TakeProfit = 0, Price = 0, OpenTime = 0, Comment = "", Magic = 0, Reason = TradeReason.Dealer, Actor = "admin:1",
        });
    }

    private static long BytesOf(Func<object> make)
    {
        make();
        var before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(make());
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>Tests that attach process-wide meter or activity listeners run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideListeners
{
    public const string Name = "Process-wide telemetry listeners";
}
