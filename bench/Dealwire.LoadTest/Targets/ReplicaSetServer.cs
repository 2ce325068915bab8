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
/// </summary>
public sealed class ReplicaSetServer : IAsyncDisposable
{
    public const string Name = "dealwire-cluster";

    private static readonly string[] Ids = ["a", "b", "c"];
    private readonly List<DealwireServer> _replicas;

    private ReplicaSetServer(List<DealwireServer> replicas, DealwireServer leader)
    {
        _replicas = replicas;
        Leader = leader;
    }

    public DealwireServer Leader { get; }

    public static async Task<ReplicaSetServer> StartAsync(string serverDll, IDictionary<string, string> settings)
    {
        var raft = Ids.ToDictionary(id => id, _ => Loopback.FreePort());
        var members = string.Join(',', Ids.Select(id => $"{id}@127.0.0.1:{raft[id]}"));
        var replicas = new List<DealwireServer>();
        try
        {
            foreach (var id in Ids) replicas.Add(await StartReplicaAsync(serverDll, settings, id, members));
            var leader = await WaitForLeaderAsync(replicas, TimeSpan.FromSeconds(90));
            return new ReplicaSetServer(replicas, leader);
        }
        catch
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One replica, one at a time: a port found free can be taken before the server binds it (another replica's
    /// outgoing connection), so a start that fails is tried again on fresh client ports.
    /// </summary>
    private static async Task<DealwireServer> StartReplicaAsync(string serverDll, IDictionary<string, string> settings, string id, string members)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DealwireServer.StartAsync(serverDll, new Dictionary<string, string>(settings)
                {
                    ["DEALWIRE__Cluster__NodeId"] = id,
                    ["DEALWIRE__Cluster__Members"] = members,
                    // The auxiliary listeners of three processes on one host must not collide.
                    ["DEALWIRE__Feeds__Listener__Port"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__TraderSocket__PricesPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__TraderSocket__TradingPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["DEALWIRE__Integration__Port"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
                });
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
        foreach (var replica in _replicas) await replica.DisposeAsync();
    }
}
