using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Dealwire.LoadTest.Wire;

/// <summary>A symbol of the embedded demo default, with the price the tape oscillates from.</summary>
public sealed record TapeSymbol(string Name, int Digits, decimal Base);

/// <summary>
/// The recorded ticks every target plays: symbols round-robin, each symbol's bid walking up one point per
/// tick and back down (a triangle, so the spike filter never fires and the tape loops without a jump).
/// The tick's position is encoded in its prices — spread 1 point going up, 2 points coming down — so a
/// client recovers which tick it received from the line alone, whatever server sent it.
/// Recorded times are 1 ms apart: replayed at speed <c>rate / 1000</c> the tape gives <c>rate</c> ticks per second.
/// </summary>
public sealed class TickTape
{
    public static readonly TapeSymbol[] Demo =
    [
        new("EURUSD", 5, 1.10000m), new("GBPUSD", 5, 1.27000m), new("USDJPY", 3, 150.000m),
        new("XAUUSD", 2, 2000.00m), new("US500", 1, 5000.0m), new("BTCUSD", 2, 50000.00m),
    ];

    private readonly long[] _scale;

    public TickTape(IReadOnlyList<TapeSymbol> symbols, int length)
    {
        Symbols = symbols;
        var period = 2 * symbols.Count;
        Length = Math.Max(period * 10, length / period * period);
        Amplitude = Length / period;
        _scale = symbols.Select(s => (long)Math.Pow(10, s.Digits)).ToArray();
    }

    public IReadOnlyList<TapeSymbol> Symbols { get; }

    /// <summary>Ticks in one pass of the tape.</summary>
    public int Length { get; }

    /// <summary>Points the bid climbs before turning back.</summary>
    public int Amplitude { get; }

    /// <summary>Tape length for a rate so that one pass lasts longer than any run (passes are then told apart by time).</summary>
    public static int LengthFor(double rate, double seconds) => (int)Math.Clamp(rate * seconds, 12_000, 4_000_000);

    public (int Symbol, long BidPoints, long AskPoints) At(int index)
    {
        var s = index % Symbols.Count;
        var k = index / Symbols.Count;
        var up = k < Amplitude;
        var v = up ? k : 2 * Amplitude - k;
        var bid = (long)(Symbols[s].Base * _scale[s]) + v;
        return (s, bid, bid + (up ? 1 : 2));
    }

    /// <summary>Index in the tape of the tick with these prices, or -1 when they are not on the tape.</summary>
    public int IndexOf(int symbol, long bidPoints, long askPoints)
    {
        var v = bidPoints - (long)(Symbols[symbol].Base * _scale[symbol]);
        var spread = askPoints - bidPoints;
        if (v < 0 || v > Amplitude || spread is not (1 or 2)) return -1;
        var k = spread == 1 ? v : 2 * Amplitude - v;
        return (int)(k * Symbols.Count + symbol);
    }

    public string Price(int symbol, long points) =>
        (points / (decimal)_scale[symbol]).ToString("F" + Symbols[symbol].Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The Server API quote line <c>["t",symbol,bid,ask,seconds]</c> without CR LF.</summary>
    public byte[] Line(int index, long wireSeconds)
    {
        var (s, bid, ask) = At(index);
        return Encoding.ASCII.GetBytes($"[\"t\",\"{Symbols[s].Name}\",{Price(s, bid)},{Price(s, ask)},{wireSeconds.ToString(CultureInfo.InvariantCulture)}]");
    }

    /// <summary>Writes the tape as the replay feed's CSV (<c>symbol,bid,ask,time_ms</c>, 1 ms apart).</summary>
    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("symbol,bid,ask,time_ms\n");
        for (var i = 0; i < Length; i++)
        {
            var (s, bid, ask) = At(i);
            writer.Write(Symbols[s].Name);
            writer.Write(',');
            writer.Write(Price(s, bid));
            writer.Write(',');
            writer.Write(Price(s, ask));
            writer.Write(',');
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    /// <summary>Decodes a quote line; false for any other line (replies, events).</summary>
    public bool TryDecode(ReadOnlySpan<byte> line, out int index, out long wireSeconds)
    {
        index = -1;
        wireSeconds = 0;
        if (!line.StartsWith("[\"t\",\""u8)) return false;
        var rest = line[6..];
        var quote = rest.IndexOf((byte)'"');
        if (quote < 0) return false;
        var name = rest[..quote];
        var symbol = -1;
        for (var i = 0; i < Symbols.Count; i++)
        {
            if (name.SequenceEqual(Encoding.ASCII.GetBytes(Symbols[i].Name))) { symbol = i; break; }
        }
        if (symbol < 0) return false;
        rest = rest[(quote + 2)..];
        if (!Utf8Parser.TryParse(rest, out decimal bid, out var used) || rest[used] != (byte)',') return false;
        rest = rest[(used + 1)..];
        if (!Utf8Parser.TryParse(rest, out decimal ask, out used) || rest[used] != (byte)',') return false;
        rest = rest[(used + 1)..];
        if (!Utf8Parser.TryParse(rest, out wireSeconds, out _)) return false;
        index = IndexOf(symbol, (long)(bid * _scale[symbol]), (long)(ask * _scale[symbol]));
        return index >= 0;
    }
}
