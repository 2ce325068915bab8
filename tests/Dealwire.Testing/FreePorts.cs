using System.Net;
using System.Net.Sockets;

namespace Dealwire.Testing;

/// <summary>Free loopback TCP ports for servers started by tests.</summary>
public static class FreePorts
{
    /// <summary><paramref name="count"/> distinct ports that were free a moment ago (held together while choosing so they differ).</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    public static int Take() => Take(1)[0];
}
