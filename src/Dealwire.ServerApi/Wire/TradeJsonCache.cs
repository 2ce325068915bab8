using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Wire;

/// <summary>
/// A trade record's JSON as the Sync answers and <c>trade:event</c> carry it, kept from the frame that wrote it last.
/// A Sync command's answer is its <c>trade:event</c>'s data (scaletrade-tcp §5.2), and both frames are built (the answer
/// by the command's continuation, the event by the fan-out, in either order), so the second copies the first one's bytes
/// out of its frame instead of writing the record's forty-odd members again. Keyed by the record's reference (records
/// are immutable) and the group whose markup its prices carry; one slot per ticket modulo the table's size, so a
/// collision only costs a serialization. One per server, shared by the dispatcher and the fan-out.
/// </summary>
internal sealed class TradeJsonCache
{
    private const int Slots = 256;
    private readonly Written?[] _recent = new Written?[Slots];
    private long _serialized;

    [ThreadStatic] private static Pending? _pending;

    /// <summary>Records this cache serialized rather than copied (tests check that the second frame copies).</summary>
    internal long Serialized => Interlocked.Read(ref _serialized);

    /// <summary>Writes the record as a property's value of the frame being built by <see cref="FrameWriter.Build"/>.</summary>
    public void Write(Utf8JsonWriter w, TradeRecord trade, string? group)
    {
        if (Volatile.Read(ref _recent[Slot(trade)]) is { } kept && ReferenceEquals(kept.Trade, trade) && kept.Group == group)
        {
            w.WriteRawValue(kept.Frame.AsSpan(kept.Start, kept.Length), skipInputValidation: true);
            return;
        }
        var start = FrameWriter.Position(w);
        TradeWire.Write(w, trade, group);
        Interlocked.Increment(ref _serialized);
        var pending = _pending ??= new Pending();
        (pending.Cache, pending.Trade, pending.Group) = (this, trade, group);
        FrameWriter.MarkValue(w, start, pending);
    }

    private static int Slot(TradeRecord trade) => (int)(trade.Ticket & (Slots - 1));

    private sealed record Written(TradeRecord Trade, string? Group, byte[] Frame, int Start, int Length);

    /// <summary>This thread's last written record, waiting for its frame to be finished.</summary>
    private sealed class Pending : IFrameSliceSink
    {
        public TradeJsonCache? Cache;
        public TradeRecord? Trade;
        public string? Group;

        public void Keep(byte[] frame, int start, int length)
        {
            var (cache, trade, group) = (Cache!, Trade!, Group);
            (Cache, Trade, Group) = (null, null, null);
            // The record's whole object: never a separator in front (it is a property's value, not an array element).
            if (length < 2 || frame[start] != (byte)'{' || frame[start + length - 1] != (byte)'}') return;
            Volatile.Write(ref cache._recent[Slot(trade)], new Written(trade, group, frame, start, length));
        }
    }
}
