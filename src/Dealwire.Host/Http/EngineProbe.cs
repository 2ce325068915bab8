using Dealwire.Engine.Runtime;

namespace Dealwire.Host.Http;

/// <summary>Engine figures read on the engine thread; null when the engine did not answer in time.</summary>
internal sealed record EngineFigures(int Symbols, int Accounts, long Sequence);

/// <summary>Asks the engine for its figures without letting a stuck or stopped engine hang an HTTP request.</summary>
internal static class EngineProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<EngineFigures?> ReadAsync(EngineRunner runner, CancellationToken cancellationToken)
    {
        if (runner.State != EngineState.Running) return null;
        try
        {
            return await runner
                .ExclusiveAsync(e => new EngineFigures(e.SymbolCount, e.AccountCount, e.LastSequence), cancellationToken)
                .WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Reads a counter the engine thread writes; a torn read is impossible for an aligned long on 64-bit.</summary>
    public static long Read(ref long counter) => Volatile.Read(ref counter);
}
