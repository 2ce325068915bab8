using System.Buffers;
using System.IO.Pipelines;
using Dealwire.Gateway.Outbound;
using Dealwire.ManagerApi.Session;

namespace Dealwire.ManagerApi.Transport;

/// <summary>
/// Writes the prices waiting for one connection as one <c>last_prices</c> frame in the connection's layout:
/// the per-instrument objects were serialized once in the hub, only the envelope is written per connection.
/// </summary>
internal sealed class PriceEnvelopeWriter(ManagerSession session) : IQuoteRunWriter
{
    private static readonly byte[] SeedPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"success\":{\"last_prices\":{\"updated\":{\"data\":["u8.ToArray();
    private static readonly byte[] SeedPriceSuffix = "]}}}}}}\r\n"u8.ToArray();
    private static readonly byte[] NewerPricePrefixTail =
        "\"message_type\":{\"server_message\":{\"last_prices\":{\"update\":["u8.ToArray();
    private static readonly byte[] NewerPriceSuffix = "]}}}}\r\n"u8.ToArray();

    public void Write(PipeWriter output, ReadOnlySpan<QuoteFrame> quotes)
    {
        if (session.Dialect is not { } dialect) return;
        output.Write("{\"message_id\":\""u8);
        Span<char> id = stackalloc char[36];
        Guid.NewGuid().TryFormat(id, out _);
        Span<byte> idBytes = stackalloc byte[36];
        for (var i = 0; i < 36; i++) idBytes[i] = (byte)id[i];
        output.Write(idBytes);
        output.Write("\",\"message_response_id\":null,"u8);
        output.Write(dialect.IsSeed ? SeedPricePrefixTail : NewerPricePrefixTail);
        for (var i = 0; i < quotes.Length; i++)
        {
            if (i > 0) output.Write(","u8);
            output.Write(quotes[i].Frame);
        }
        output.Write(dialect.IsSeed ? SeedPriceSuffix : NewerPriceSuffix);
    }
}
