namespace Dealwire.Integration.Hosting;

/// <summary>
/// The <c>Integration</c> configuration section: where the gRPC integration services listen. Plain-text HTTP/2
/// (h2c) on loopback by default, so a CRM on the same host connects with no certificate; set
/// <see cref="CertificatePath"/> to serve TLS (mandatory in production per the vendor's docs).
/// </summary>
public sealed class IntegrationOptions
{
    public const string Section = "Integration";

    /// <summary>false = no gRPC listener at all.</summary>
    public bool Enabled { get; set; } = true;

    public int Port { get; set; } = 8082;

    /// <summary>IP address to bind; loopback unless configured otherwise.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>PFX/PKCS#12 certificate file; when set the listener speaks TLS (HTTP/2 over ALPN).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Most items a server-streaming call buffers before it waits for the client (back-pressure is per write anyway).</summary>
    public int StreamBatchSize { get; set; } = 256;
}
