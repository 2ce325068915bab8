using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Dealwire.ReadModel.History;

/// <summary>The projector's instruments on the <c>Dealwire.ReadModel</c> meter.</summary>
internal static class HistoryMetrics
{
    public static readonly Meter Meter = new("Dealwire.ReadModel");

    private static readonly ConcurrentDictionary<HistoryProjector, byte> Projectors = new();

    /// <summary>Commands (stream sequences) written to the history store.</summary>
    public static readonly Counter<long> Applied = Meter.CreateCounter<long>("dealwire_history_projector_applied_total", description: "Commands applied to the history store");

    /// <summary>Transactions that stored them: applied ÷ transactions is what each commit was shared by.</summary>
    public static readonly Counter<long> Transactions = Meter.CreateCounter<long>("dealwire_history_projector_transactions_total", description: "History store transactions committed by the projector");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("dealwire_history_projector_errors_total", description: "Failed history store writes (retried)");

    static HistoryMetrics()
    {
        Meter.CreateObservableGauge("dealwire_history_projector_lag", () => Projectors.Keys.Select(p => new Measurement<long>(p.Lag)),
            unit: "{sequence}", description: "Committed-stream sequences not yet in the history store");
        Meter.CreateObservableGauge("dealwire_history_projector_stopped", () => Projectors.Keys.Select(p => new Measurement<int>(p.Stopped.IsCompleted ? 1 : 0)),
            description: "1 when the history projector has stopped for good (history.error in /health says why; dealwire history rebuild)");
    }

    public static void Register(HistoryProjector p) => Projectors.TryAdd(p, 0);

    public static void Unregister(HistoryProjector p) => Projectors.TryRemove(p, out _);
}
