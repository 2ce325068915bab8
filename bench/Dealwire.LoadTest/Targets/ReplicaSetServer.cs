using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using Dealwire.LoadTest.Wire;

namespace Dealwire.LoadTest.Targets;

/// <summary>
/// Target <c>dealwire-cluster</c>: three <c>dealwire serve</c> replicas on loopback (docs/replication.md), each with
/// its own data directory and the default Fsync durability, measured through the leader. Every command then waits for
/// a majority to hold its batch durably, so against <c>dealwire-fsync</c> (one node, same durability) it shows the cost
/// of replication. On this 2-core machine the followers' CPU competes with the leader's: the server CPU reported is
/// the leader's alone.
/// Target <c>dealwire-gateway</c>: the same replica set with a gateway node in front (docs/replication.md "Gateway
/// nodes"), measured through the gateway: each command travels gateway → leader → majority → leader → gateway, and its
/// reply waits until the gateway has applied it from the committed stream. Server CPU is the gateway's alone.
/// </summary>
public sealed class ReplicaSetServer : IAsyncDisposable
{
    public const string Name = "dealwire-cluster";

    public const string GatewayName = "dealwire-gateway";

    private static readonly string[] Ids = ["a", "b", "c"];
    private readonly List<DealwireServer> _replicas;

    private ReplicaSetServer(List<DealwireServer> replicas, DealwireServer leader, DealwireServer? gateway)
    {
        _replicas = replicas;
        Leader = leader;
        Gateway = gateway;
    }

    public DealwireServer Leader { get; }

    /// <summary>The gateway node in front of the replicas (started with <c>withGateway</c>).</summary>
    public DealwireServer? Gateway { get; }

    /// <summary>What the clients talk to: the gateway when there is one, else the leader.</summary>
    public DealwireServer Entry => Gateway ?? Leader;

    public static async Task<ReplicaSetServer> StartAsync(string serverDll, IDictionary<string, string> settings, bool withGateway = false)
    {
        var raft = Ids.ToDictionary(id => id, _ => Loopback.FreePort());
        var links = Ids.ToDictionary(id => id, _ => Loopback.FreePort());
        var members = string.Join(',', Ids.Select(id => $"{id}@127.0.0.1:{raft[id]}"));
        var upstreams = string.Join(',', Ids.Select(id => $"{id}@127.0.0.1:{links[id]}"));
        const string key = "bench-gateway-key";
        var replicas = new List<DealwireServer>();
        DealwireServer? gateway = null;
        try
        {
            foreach (var id in Ids)
            {
                replicas.Add(await StartReplicaAsync(serverDll, settings, id, new Dictionary<string, string>
                {
                    ["DEALWIRE__Cluster__Members"] = members,
                    ["DEALWIRE__Cluster__GatewayEndpoint"] = $"127.0.0.1:{links[id]}",
                    ["DEALWIRE__Cluster__GatewayKey"] = key,
                }));
            }
            var leader = await WaitForLeaderAsync(replicas, TimeSpan.FromSeconds(90));
            if (withGateway)
            {
                gateway = await StartReplicaAsync(serverDll, settings, "g", new Dictionary<string, string>
                {
                    ["DEALWIRE__Cluster__Role"] = "gateway",
                    ["DEALWIRE__Cluster__Upstreams"] = upstreams,
                    ["DEALWIRE__Cluster__GatewayKey"] = key,
                    // Prices reach a gateway through the log; a feed of its own would only be refused.
                    ["DEALWIRE__Feed__Kind"] = "None",
                });
            }
            return new ReplicaSetServer(replicas, leader, gateway);
        }
        catch
        {
            if (gateway is not null) await gateway.DisposeAsync();
            foreach (var replica in replicas) await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One node, one at a time: a port found free can be taken before the server binds it (another replica's
    /// outgoing connection), so a start that fails is tried again on fresh client ports.
    /// </summary>
    private static async Task<DealwireServer> StartReplicaAsync(string serverDll, IDictionary<string, string> settings, string id, Dictionary<string, string> cluster)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var environment = new Dictionary<string, string>(settings)
                {
                    ["DEALWIRE__Cluster__NodeId"] = id,
                    // The auxiliary listeners of several processes on one host must not collide.
                    ["DEALWIRE__Feeds__Listener__Port"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__TraderSocket__PricesPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__TraderSocket__TradingPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__Integration__Port"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                };
                foreach (var (k, v) in cluster) environment[k] = v;
                return await DealwireServer.StartAsync(serverDll, environment);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    /// <summary>The replica whose <c>/health</c> says it leads and accepts commands.</summary>
    private static async Task<DealwireServer> WaitForLeaderAsync(List<DealwireServer> replicas, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var replica in replicas)
            {
                try
                {
                    using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{replica.HttpPort}/health")));
                    if (document.RootElement.GetProperty("cluster").GetProperty("role").GetString() == "leader") return replica;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("no replica became the leader");
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        foreach (var replica in _replicas) await replica.DisposeAsync();
    }
}
