namespace Dealwire.ManagerApi.Fanout;

/// <summary>
/// A price update serialized once per layout: the JSON object of one instrument's bid/ask. Each connection
/// queues the bytes of its layout as a quote frame (conflated per instrument); its writer wraps the
/// waiting ones in one <c>last_prices</c> envelope (<see cref="Transport.PriceEnvelopeWriter"/>).
/// </summary>
public sealed record PriceFragment(string Symbol, byte[] Seed, byte[] Newer);
