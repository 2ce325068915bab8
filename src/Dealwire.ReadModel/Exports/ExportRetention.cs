using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dealwire.ReadModel.Exports;

/// <summary>Deletes expired exports from <c>storage/</c> at start and then every <paramref name="interval"/>.</summary>
public sealed class ExportRetention(ExportStorage storage, TimeSpan interval, TimeProvider time, ILogger<ExportRetention> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var deleted = storage.Sweep();
                if (deleted > 0) log.LogInformation("Deleted {Count} expired export file(s) from {Directory}", deleted, storage.Directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning(e, "Export retention sweep of {Directory} failed; retrying at the next interval", storage.Directory);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
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
