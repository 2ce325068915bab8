namespace Dealwire.ReadModel.History.Ticks;

/// <summary>One raw tick as the engine accepted it (journal sequence, feed time in Unix ms, bid and ask as sent).</summary>
public sealed record TickRow(string Symbol, long Time, long Sequence, decimal Bid, decimal Ask);

/// <summary>
/// The tick history: every journaled tick, written by the history projector beside the candles built from it, and kept
/// for the server configuration's <c>keepticks</c> days (<see cref="TickRetention"/>).
/// </summary>
public interface ITickStore
{
    /// <summary>Ticks of one symbol with <paramref name="from"/> ≤ time ≤ <paramref name="to"/> (Unix ms), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TickRow>> GetTicksAsync(string symbol, long from, long to, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every tick older than <paramref name="time"/> (Unix ms); returns how many.</summary>
    Task<long> DeleteTicksBeforeAsync(long time, CancellationToken cancellationToken = default);
}
