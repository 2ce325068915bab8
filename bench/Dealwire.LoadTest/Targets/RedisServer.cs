using System.Globalization;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Targets;

/// <summary>A private redis-server on a free loopback port, no persistence, generous pub/sub output buffers.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private RedisServer(ServerProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ServerProcess Process { get; }

    public int Port { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var port = Loopback.FreePort();
        ServerProcess process;
        try
        {
            process = ServerProcess.Start("redis-server",
                ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--client-output-buffer-limit", "pubsub 512mb 256mb 60", "--maxclients", "20000", "--loglevel", "warning"]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/bench-setup.sh (or --targets without redis).", ex);
        }
        await Loopback.WaitForPortAsync(port, TimeSpan.FromSeconds(20), () => process.Alive);
        return new RedisServer(process, port);
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
