using Dealwire.Engine.Runtime;
using Dealwire.Host.Http;

namespace Dealwire.Host.Diagnostics;

/// <summary>
/// The engine figures that only the engine thread can read (symbols, accounts, sequence), kept for the
/// observable gauges, which must not block: a scrape refreshes them before it is collected, and an OTLP
/// collection finding them stale starts a refresh for the next one.
/// </summary>
internal sealed class EngineFigureCache(EngineRunner runner, TimeProvider time)
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(2);
    private volatile Snapshot _latest = new(null, DateTimeOffset.MinValue);
    private int _refreshing;

    /// <summary>The latest answer; null when the engine did not answer the last probe.</summary>
    public EngineFigures? Latest
    {
        get
        {
            var latest = _latest;
            if (time.GetUtcNow() - latest.At > FreshFor && Interlocked.Exchange(ref _refreshing, 1) == 0)
            {
                _ = RefreshAndClearAsync();
            }
            return latest.Figures;
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var figures = await EngineProbe.ReadAsync(runner, cancellationToken);
        _latest = new Snapshot(figures, time.GetUtcNow());
    }

    private async Task RefreshAndClearAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private sealed record Snapshot(EngineFigures? Figures, DateTimeOffset At);
}
