using System.Net.Sockets;
using System.Text;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>SIGTERM stops the server promptly even while clients hold connections open on both APIs.</summary>
[Trait("Category", "Slow")] // SIGTERM of a server process of its own
public class ShutdownTests
{
    [Fact]
    public async Task Sigterm_with_connected_clients_exits_promptly_and_cleanly()
    {
        await using var server = await DealwireProcess.StartAsync(new DealwireProcessOptions { StopTimeout = TimeSpan.FromSeconds(15) });
        using var serverApi = new TcpClient();
        await serverApi.ConnectAsync("127.0.0.1", server.ServerApiPort);
        var subscribe = $"{{\"command\":\"Subscribe\",\"data\":{{\"chanels\":[\"EURUSD\"]}},\"extID\":\"s\",\"__token\":\"{server.AdminToken}\"}}\r\n";
        await serverApi.GetStream().WriteAsync(Encoding.UTF8.GetBytes(subscribe));
        using var managerApi = new TcpClient();
        await managerApi.ConnectAsync("127.0.0.1", server.ManagerApiPort);
        // Make sure the Server API connection is live before stopping.
        var buffer = new byte[4096];
        var read = await serverApi.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(read > 0);

        var started = DateTime.UtcNow;
        var exitCode = await server.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"stop took {DateTime.UtcNow - started}");
        Assert.Contains("Engine stopped", server.CapturedOutput);
    }
}
