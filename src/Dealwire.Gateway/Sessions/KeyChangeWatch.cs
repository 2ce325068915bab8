using Microsoft.Extensions.Logging;

namespace Dealwire.Gateway.Sessions;

/// <summary>
/// Keeps a protocol's open sessions in step with the key file that <c>dealwire key issue|revoke</c> rewrites: polls the
/// keys' generation (one stat of the file per <see cref="Interval"/>) and, when it moved, lets the protocol reconcile its
/// authenticated sessions with the current keys. A file that cannot be read is logged and tried again at the next tick;
/// open sessions keep their keys until it can be read.
/// </summary>
public static class KeyChangeWatch
{
    /// <summary>How often the key file's stamp is checked: a revoked key ends its sessions within this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <param name="generation">The key store's generation (changes whenever its file or directory does).</param>
    /// <param name="reconcile">Applies the current keys to the protocol's sessions.</param>
    /// <param name="keyFile">Names the file in the error logged when it cannot be read ("Manager API: the key file").</param>
    public static async Task RunAsync(Func<long> generation, Action reconcile, TimeProvider time, ILogger logger, string keyFile, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var seen = long.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    var current = generation();
                    if (current == seen) continue;
                    seen = current;
                    reconcile();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    logger.LogError(ex, "{KeyFile} could not be read; open sessions keep their keys until it can", keyFile);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
