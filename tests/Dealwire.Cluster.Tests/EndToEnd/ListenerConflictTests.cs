using System.Net;
using System.Net.Sockets;
using Dealwire.Testing;
using Xunit;

namespace Dealwire.Cluster.Tests.EndToEnd;

/// <summary>
/// A replica whose gateway link port is taken fails its start with the server's "cannot listen" exit (3), like a taken
/// protocol or Raft port, so a supervisor (and the test harness) can tell it from a crash and try other ports. It used to
/// start, answer <c>/health</c>, and stop later from the background service.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ListenerConflictTests
{
    [Fact]
    public async Task A_taken_gateway_link_port_fails_the_start_with_exit_code_3()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var raft = FreePorts.Take(1)[0];
        var options = new DealwireProcessOptions { StartTimeout = TimeSpan.FromSeconds(90) };
        options.Environment["DEALWIRE__Cluster__NodeId"] = "a";
        options.Environment["DEALWIRE__Cluster__Members"] = $"a@127.0.0.1:{raft}";
        options.Environment["DEALWIRE__Cluster__GatewayEndpoint"] = $"127.0.0.1:{taken}";
        options.Environment["DEALWIRE__Cluster__GatewayKey"] = ReplicaSet.GatewayKey;
        options.Environment["DEALWIRE__Feed__Kind"] = "None";

        var failure = await Assert.ThrowsAsync<DealwireProcessException>(() => DealwireProcess.StartAsync(options));

        Assert.True(failure.AddressInUse, failure.Message);
        Assert.Contains("cannot listen", failure.Message);
    }
}
