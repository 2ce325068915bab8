namespace Dealwire.Client.Protocol;

/// <summary>
/// 12 lower-case hex characters per request, as the official clients send. The value is a random 16-bit
/// connection prefix and a 32-bit counter starting at a random point: random-looking on the wire, yet never
/// repeated within 2^32 calls of one client, so a late reply can never be matched to a newer request.
/// </summary>
internal sealed class ExtIdGenerator
{
    private readonly long _prefix;
    private int _counter;

    public ExtIdGenerator(Random? random = null)
    {
        random ??= Random.Shared;
        _prefix = (long)random.Next(0, 1 << 16) << 32;
        _counter = random.Next();
    }

    public string Next()
    {
        var value = _prefix | (uint)Interlocked.Increment(ref _counter);
        return string.Create(12, value, static (span, v) =>
        {
            for (var i = 11; i >= 0; i--)
            {
                span[i] = "0123456789abcdef"[(int)(v & 0xF)];
                v >>= 4;
            }
        });
    }
}
