using Dealwire.Cluster;
using Xunit;

namespace Dealwire.Cluster.Tests;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void Members_parse_as_id_at_host_colon_port()
    {
        var options = new ClusterOptions { NodeId = "b", Members = " a@127.0.0.1:7001, b@10.0.0.2:7002 ,c@replica-c:7003" };

        var members = options.ParseMembers();

        Assert.Equal([new ClusterMember("a", "127.0.0.1", 7001), new ClusterMember("b", "10.0.0.2", 7002), new ClusterMember("c", "replica-c", 7003)], members);
        options.Validate();
    }

    [Theory]
    [InlineData("a127.0.0.1:7001", "a127.0.0.1:7001")]
    [InlineData("a@127.0.0.1", "a@127.0.0.1")]
    [InlineData("a@127.0.0.1:0", "a@127.0.0.1:0")]
    [InlineData("a@127.0.0.1:70000", "a@127.0.0.1:70000")]
    [InlineData("@127.0.0.1:7001", "@127.0.0.1:7001")]
    public void A_malformed_member_is_named_in_the_error(string members, string named)
    {
        var error = Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "a", Members = members }.Validate());
        Assert.Contains($"'{named}'", error.Message);
    }

    [Fact]
    public void A_node_listed_twice_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "a", Members = "a@h:1,a@h:2" }.Validate());
        Assert.Contains("twice", error.Message);
    }

    [Fact]
    public void A_replica_must_be_one_of_the_members()
    {
        Assert.Throws<FormatException>(() => new ClusterOptions { Members = "a@h:1,b@h:2" }.Validate());
        var error = Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "z", Members = "a@h:1,b@h:2" }.Validate());
        Assert.Contains("'z'", error.Message);
    }

    [Fact]
    public void Election_timeouts_must_make_a_range_and_the_heartbeat_a_fraction()
    {
        Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "a", Members = "a@h:1", ElectionTimeoutMinMs = 2000, ElectionTimeoutMaxMs = 2000 }.Validate());
        Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "a", Members = "a@h:1", ElectionTimeoutMinMs = 10, ElectionTimeoutMaxMs = 20 }.Validate());
        Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "a", Members = "a@h:1", HeartbeatThreshold = 1 }.Validate());
    }

    [Fact]
    public void Without_members_the_server_is_a_single_node_and_a_gateway_needs_replicas()
    {
        var single = new ClusterOptions();
        single.Validate();
        Assert.False(single.IsClustered);
        Assert.Empty(single.ParseMembers());
        Assert.Throws<FormatException>(() => new ClusterOptions { Role = ClusterRole.Gateway }.Validate());
    }

    [Fact]
    public void A_gateway_names_its_upstreams_and_is_not_a_voter()
    {
        var gateway = new ClusterOptions { NodeId = "g", Role = ClusterRole.Gateway, Upstreams = "a@127.0.0.1:7381, b@127.0.0.1:7382" };
        gateway.Validate();
        Assert.True(gateway.IsClustered);
        Assert.Equal([new ClusterMember("a", "127.0.0.1", 7381), new ClusterMember("b", "127.0.0.1", 7382)], gateway.ParseUpstreams());
        Assert.Contains("Cluster:NodeId", Assert.Throws<FormatException>(() => new ClusterOptions { Role = ClusterRole.Gateway, Upstreams = "a@h:1" }.Validate()).Message);
        Assert.Contains("Cluster:Upstreams entry 'a@h'", Assert.Throws<FormatException>(() => new ClusterOptions { NodeId = "g", Role = ClusterRole.Gateway, Upstreams = "a@h" }.Validate()).Message);
        Assert.Contains("voting member", Assert.Throws<FormatException>(() =>
            new ClusterOptions { NodeId = "a", Role = ClusterRole.Gateway, Upstreams = "a@h:2", Members = "a@h:1" }.Validate()).Message);
    }

    [Fact]
    public void A_replica_serves_gateways_only_on_a_valid_endpoint()
    {
        var replica = new ClusterOptions { NodeId = "a", Members = "a@h:1", GatewayEndpoint = "0.0.0.0:7381" };
        replica.Validate();
        Assert.Equal(("0.0.0.0", 7381), replica.ParseGatewayEndpoint());
        Assert.Null(new ClusterOptions { NodeId = "a", Members = "a@h:1" }.ParseGatewayEndpoint());
        Assert.Contains("Cluster:GatewayEndpoint", Assert.Throws<FormatException>(() =>
            new ClusterOptions { NodeId = "a", Members = "a@h:1", GatewayEndpoint = "h:0" }.Validate()).Message);
    }

    [Fact]
    public void Defaults_leave_room_for_a_long_gc_pause()
    {
        var options = new ClusterOptions();
        Assert.Equal(1000, options.ElectionTimeoutMinMs);
        Assert.Equal(2000, options.ElectionTimeoutMaxMs);
        Assert.Equal(0.3, options.HeartbeatThreshold);
    }
}
