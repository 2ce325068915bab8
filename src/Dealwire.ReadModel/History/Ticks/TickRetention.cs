using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.History.Ticks;

/// <summary>
/// Keeps the tick history to the server configuration's <c>keepticks</c> days (GetConfig / UpdateConfig): every
/// <paramref name="interval"/> it deletes ticks older than that, measured from now. <c>keepticks</c> 0 means the store's
/// own default, <paramref name="defaultDays"/> (<c>History:DefaultKeepTicksDays</c>). A change made with UpdateConfig
/// applies at the next pass. Candles are kept: they are the chart history; raw ticks are the bulky part.
/// </summary>
public sealed class TickRetention(ITickStore store, Func<int?> keepTicks, int defaultDays, TimeSpan interval, TimeProvider time,
    ILogger<TickRetention> log) : BackgroundService
{
    /// <summary>The days of ticks kept now.</summary>
    public int Days => keepTicks() is { } days && days > 0 ? days : defaultDays;

    /// <summary>One pass; returns the ticks deleted.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().AddDays(-Days).ToUnixTimeMilliseconds();
        var deleted = await store.DeleteTicksBeforeAsync(cutoff, cancellationToken);
        if (deleted > 0) log.LogInformation("Deleted {Count} ticks older than {Days} days (keepticks)", deleted, Days);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits one interval: the store opens in the background as the server starts.
        using var timer = new PeriodicTimer(interval, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                log.LogWarning(e, "Tick retention pass failed; retrying at the next interval");
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
