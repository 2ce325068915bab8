using Microsoft.Extensions.Logging;

namespace Dealwire.Gateway.Diagnostics;

/// <summary>
/// Logs faults of a client's own making (bad bytes, malformed envelopes, timeouts) without letting a
/// misbehaving client flood the log: every fault is logged at Debug; at most <c>perWindow</c> per window
/// reach Information, and the next one after a quiet spell says how many were held back. A client fault is
/// never an Error: the server did nothing wrong and the client was answered. Every fault, logged or held back,
/// counts in <c>dealwire_gateway_client_faults_total</c> under <paramref name="protocol"/>.
/// </summary>
public sealed class ClientFaultLog(ILogger logger, TimeProvider time, string protocol = "unknown", int perWindow = 20, TimeSpan? window = null)
{
    private readonly object _gate = new();
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(1);
    private long _windowStart = time.GetTimestamp();
    private int _loggedInWindow;
    private long _suppressed;
    private long _total;

    /// <summary>Faults reported since start (monitoring and tests).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Records that connection <paramref name="connection"/> (from <paramref name="remote"/>) sent something unusable.</summary>
    public void Report(string connection, string? remote, string fault)
    {
        Interlocked.Increment(ref _total);
        GatewayMetrics.ClientFaults.Add(1, GatewayMetrics.ProtocolTag(protocol));
        logger.LogDebug("Client fault on connection {Connection} from {Remote}: {Fault}", connection, remote, fault);
        long heldBack;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= _window)
            {
                _windowStart = now;
                _loggedInWindow = 0;
            }
            if (_loggedInWindow >= perWindow)
            {
                _suppressed++;
                return;
            }
            _loggedInWindow++;
            heldBack = _suppressed;
            _suppressed = 0;
        }
        if (heldBack > 0)
        {
            logger.LogInformation("Client fault on connection {Connection} from {Remote}: {Fault} ({Suppressed} more client faults not logged)",
                connection, remote, fault, heldBack);
        }
        else
        {
            logger.LogInformation("Client fault on connection {Connection} from {Remote}: {Fault}", connection, remote, fault);
        }
    }
}
