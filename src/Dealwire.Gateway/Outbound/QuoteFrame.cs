using System.IO.Pipelines;

namespace Dealwire.Gateway.Outbound;

/// <summary>A serialized quote and the symbol it conflates under (latest per symbol wins for a slow reader).</summary>
public readonly record struct QuoteFrame(string Symbol, byte[] Frame);

/// <summary>
/// How a protocol puts the quotes of one drain on the wire. The Server API writes each quote line as it
/// is; the Manager API wraps them in one <c>last_prices</c> envelope (its quote frames are the JSON
/// objects of single instruments, serialized once per layout by the fan-out).
/// </summary>
public interface IQuoteRunWriter
{
    void Write(PipeWriter output, ReadOnlySpan<QuoteFrame> quotes);
}
