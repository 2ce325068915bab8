using System.Collections.Concurrent;
using System.Text.Json;
using Dealwire.Cluster.Tests.EndToEnd;
using Dealwire.Testing;

namespace Dealwire.Cluster.Tests.Faults;

/// <summary>
/// A replica set whose Raft traffic runs through one <see cref="FaultProxy"/> per replica (the member address its
/// peers dial; the replica binds <c>Cluster:ListenEndpoint</c> behind it), with the fixed-price replay as its feed, one
/// gateway node following it, and a watcher that records which node leads in which term.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    private FaultCluster(ReplicaSet set, Dictionary<string, FaultProxy> proxies, DealwireProcess gateway)
    {
        Set = set;
        Proxies = proxies;
        Gateway = gateway;
        _watching = WatchLeadersAsync();
    }

    public ReplicaSet Set { get; }

    /// <summary>The gateway node <c>g</c>: follows the replicas over its own links (not through the proxies) and forwards its traders' commands.</summary>
    public DealwireProcess Gateway { get; }

    public Dictionary<string, FaultProxy> Proxies { get; }

    public IReadOnlyDictionary<string, DealwireProcess> Nodes => Set.Nodes;

    /// <summary>Every (term → node) seen leading and accepting commands, from polling each node's <c>/health</c>.</summary>
    public ConcurrentDictionary<long, ConcurrentDictionary<string, byte>> LeadersByTerm { get; } = new();

    public static async Task<FaultCluster> StartAsync(int seed, TimeSpan checkpointInterval)
    {
        // The proxies' and the replicas' Raft ports are fixed for the whole set: when one was taken before its owner
        // bound it (other tests start servers meanwhile), start again on new ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(seed, checkpointInterval);
            }
            catch (Exception ex) when (attempt < 3 && IsAddressInUse(ex))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception ex) =>
        ex is DealwireProcessException { AddressInUse: true } or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse };

    private static async Task<FaultCluster> StartOnceAsync(int seed, TimeSpan checkpointInterval)
    {
        var ports = FreePorts.Take(2 * ReplicaSet.Ids.Length);
        var proxies = new Dictionary<string, FaultProxy>();
        var listen = new Dictionary<string, int>();
        try
        {
            for (var i = 0; i < ReplicaSet.Ids.Length; i++)
            {
                var id = ReplicaSet.Ids[i];
                listen[id] = ports[ReplicaSet.Ids.Length + i];
                proxies[id] = new FaultProxy(ports[i], listen[id], seed + i);
            }
            var members = string.Join(',', ReplicaSet.Ids.Select(id => $"{id}@127.0.0.1:{proxies[id].Port}"));
            var set = await ReplicaSet.StartAsync(checkpointInterval, members, id =>
            {
                var options = new DealwireProcessOptions().WithFixedPrices();
                options.Environment["DEALWIRE__Cluster__ListenEndpoint"] = $"127.0.0.1:{listen[id]}";
                return options;
            });
            try
            {
                return new FaultCluster(set, proxies, await set.StartGatewayAsync("g"));
            }
            catch
            {
                await set.DisposeAsync();
                throw;
            }
        }
        catch
        {
            foreach (var proxy in proxies.Values) await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node that says it leads and accepts commands, if exactly one does.</summary>
    public async Task<string?> LeaderAsync()
    {
        var leaders = new List<string>();
        foreach (var (id, node) in Nodes)
        {
            if (await ReplicaSet.ClusterHealthAsync(node, TimeSpan.FromSeconds(2)) is { } c && c.GetProperty("role").GetString() == "leader") leaders.Add(id);
        }
        return leaders.Count == 1 ? leaders[0] : null;
    }

    /// <summary>Ends every fault: proxies pass, paused processes run on, exited ones (killed, or fail-stopped) restart.</summary>
    public async Task HealAllAsync()
    {
        foreach (var proxy in Proxies.Values) proxy.Heal();
        foreach (var node in Nodes.Values) node.Resume();
        foreach (var node in Nodes.Values.Where(n => n.HasExited)) await node.RestartAsync();
        Gateway.Resume();
        if (Gateway.HasExited) await Gateway.RestartAsync();
    }

    private async Task WatchLeadersAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.WhenAll(Nodes.Select(async pair =>
            {
                if (await ReplicaSet.ClusterHealthAsync(pair.Value, TimeSpan.FromMilliseconds(500)) is not { } c || c.GetProperty("role").GetString() != "leader") return;
                LeadersByTerm.GetOrAdd(c.GetProperty("term").GetInt64(), _ => new()).TryAdd(pair.Key, 0);
            }));
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var node in Nodes.Values) node.Resume();
        Gateway.Resume();
        await Gateway.DisposeAsync();
        await Set.DisposeAsync();
        foreach (var proxy in Proxies.Values) await proxy.DisposeAsync();
    }
}
