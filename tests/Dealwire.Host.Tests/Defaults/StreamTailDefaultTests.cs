using Dealwire.Host.Serving;
using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Tests.Defaults;

/// <summary>Only a replica that serves gateway nodes keeps a read tail on its committed stream by default.</summary>
public sealed class StreamTailDefaultTests
{
    [Theory]
    [InlineData(null, null, null, false)] // a single node
    [InlineData(null, null, "127.0.0.1:9100", false)] // a gateway endpoint without a replica set serves nobody
    [InlineData("a@127.0.0.1:7001,b@127.0.0.1:7002,c@127.0.0.1:7003", null, null, false)] // a replica without gateway nodes
    [InlineData("a@127.0.0.1:7001,b@127.0.0.1:7002,c@127.0.0.1:7003", null, "127.0.0.1:9100", true)]
    public void The_tail_is_kept_for_gateway_nodes_only(string? members, string? role, string? gatewayEndpoint, bool serves)
    {
        var settings = new Dictionary<string, string?> { ["Cluster:NodeId"] = "a" };
        if (members is not null) settings["Cluster:Members"] = members;
        if (role is not null) settings["Cluster:Role"] = role;
        if (gatewayEndpoint is not null) settings["Cluster:GatewayEndpoint"] = gatewayEndpoint;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Assert.Equal(serves, ClusterRegistration.ServesGateways(configuration));
    }
}
