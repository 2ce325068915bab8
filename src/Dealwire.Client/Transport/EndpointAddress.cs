using System.Globalization;

namespace Dealwire.Client;

/// <summary>A parsed <c>host:port</c>.</summary>
internal readonly record struct EndpointAddress(string Host, int Port)
{
    public const int DefaultPort = 8080;

    public static EndpointAddress Parse(string endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint)) throw new ArgumentException("Endpoint must be host:port.", nameof(endpoint));
        var text = endpoint.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new ArgumentException($"Endpoint '{endpoint}' has an unclosed IPv6 bracket.", nameof(endpoint));
            host = text[1..close];
            if (close + 1 < text.Length)
            {
                if (text[close + 1] != ':') throw new ArgumentException($"Endpoint '{endpoint}' is not [host]:port.", nameof(endpoint));
                port = text[(close + 2)..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0) throw new ArgumentException($"Endpoint '{endpoint}' has no host.", nameof(endpoint));
        if (port is null) return new EndpointAddress(host, DefaultPort);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ArgumentException($"Endpoint '{endpoint}' has an invalid port.", nameof(endpoint));
        }
        return new EndpointAddress(host, number);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
