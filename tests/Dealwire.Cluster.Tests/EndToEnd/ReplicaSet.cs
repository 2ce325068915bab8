using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dealwire.Testing;
using Xunit;

namespace Dealwire.Cluster.Tests.EndToEnd;

/// <summary>Three <c>dealwire serve</c> replicas on loopback, each with its own data directory and Raft port.</summary>
internal sealed partial class ReplicaSet : IAsyncDisposable
{
    public static readonly string[] Ids = ["a", "b", "c"];

    /// <summary>The demo value of <c>Cluster:GatewayKey</c> the tests' replicas require and gateways present.</summary>
    public const string GatewayKey = "test-gateway-key";

    private ReplicaSet(Dictionary<string, DealwireProcess> nodes, string upstreams)
    {
        Nodes = nodes;
        Upstreams = upstreams;
    }

    public Dictionary<string, DealwireProcess> Nodes { get; }

    /// <summary>The replicas' gateway endpoints as <c>Cluster:Upstreams</c> (every replica serves gateways).</summary>
    public string Upstreams { get; }

    /// <summary>The loopback port of replica <paramref name="id"/>'s gateway endpoint.</summary>
    public int LinkPortOf(string id) =>
        int.Parse(Upstreams.Split(',').Single(u => u.StartsWith(id + "@", StringComparison.Ordinal)).Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a, b and c. <paramref name="checkpointInterval"/> is the leader's state checkpoint period; the default (an
    /// hour) keeps the set at rest between the test's own commands, so sequences can be compared exactly.
    /// </summary>
    /// <param name="members">The members' addresses (default: a free port each); <paramref name="configure"/> adds each node's own settings.</param>
    public static async Task<ReplicaSet> StartAsync(TimeSpan? checkpointInterval = null, string? members = null,
        Func<string, DealwireProcessOptions>? configure = null)
    {
        // Ports found free can be taken before a member binds them (other tests start servers meanwhile). Each node retries
        // its own listeners, but the Raft ports are shared by the whole set: when one of those was taken, start the set
        // again on new ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(checkpointInterval, members, configure);
            }
            catch (DealwireProcessException ex) when (ex.AddressInUse && members is null && attempt < 3)
            {
            }
        }
    }

    private static async Task<ReplicaSet> StartOnceAsync(TimeSpan? checkpointInterval, string? members, Func<string, DealwireProcessOptions>? configure)
    {
        if (members is null)
        {
            var raftPorts = FreePorts.Take(Ids.Length);
            members = string.Join(',', Ids.Select((id, i) => $"{id}@127.0.0.1:{raftPorts[i]}"));
        }
        var links = FreePorts.Take(Ids.Length);
        var upstreams = string.Join(',', Ids.Select((id, i) => $"{id}@127.0.0.1:{links[i]}"));
        var starts = Ids.Select((id, i) =>
        {
            var options = configure?.Invoke(id) ?? new DealwireProcessOptions();
            options.Environment["DEALWIRE__Cluster__GatewayEndpoint"] = $"127.0.0.1:{links[i]}";
            options.Environment["DEALWIRE__Cluster__GatewayKey"] = GatewayKey;
            options.StartTimeout = TimeSpan.FromSeconds(90);
            options.Environment["DEALWIRE__Cluster__NodeId"] = id;
            options.Environment["DEALWIRE__Cluster__Members"] = members;
            // No quote feed unless asked: ticks would move the leader's sequence on and on; the replicas are compared at rest.
            options.Environment.TryAdd("DEALWIRE__Feed__Kind", "None");
            options.Environment["DEALWIRE__Cluster__CheckpointInterval"] = (checkpointInterval ?? TimeSpan.FromHours(1)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            return DealwireProcess.StartAsync(options);
        }).ToList();
        try
        {
            var started = await Task.WhenAll(starts);
            return new ReplicaSet(Ids.Zip(started).ToDictionary(p => p.First, p => p.Second), upstreams);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) await start.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a gateway node following these replicas (<c>Cluster:Role gateway</c>); <paramref name="key"/> is the
    /// <c>Cluster:GatewayKey</c> it presents (default: the replicas' own).
    /// </summary>
    public Task<DealwireProcess> StartGatewayAsync(string id, string key = GatewayKey, DealwireProcessOptions? options = null)
    {
        options ??= new DealwireProcessOptions();
        options.StartTimeout = TimeSpan.FromSeconds(90);
        options.Environment["DEALWIRE__Cluster__NodeId"] = id;
        options.Environment["DEALWIRE__Cluster__Role"] = "gateway";
        options.Environment["DEALWIRE__Cluster__Upstreams"] = Upstreams;
        options.Environment["DEALWIRE__Cluster__GatewayKey"] = key;
        options.Environment.TryAdd("DEALWIRE__Feed__Kind", "None");
        return DealwireProcess.StartAsync(options);
    }

    /// <summary>
    /// The cluster section of a node's /health (null when it does not answer: killed, paused, starting). A 503 still
    /// carries it (a diverged replica says so there) unless <paramref name="okOnly"/>.
    /// </summary>
    public static async Task<JsonElement?> ClusterHealthAsync(DealwireProcess node, TimeSpan timeout, bool okOnly = false)
    {
        if (node.HasExited) return null;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var response = await node.GetAsync("health", cts.Token);
            if (okOnly && !response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("cluster").Clone();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Role, leader and applied sequence from a live node's /health; null when it does not answer.</summary>
    public static async Task<(string Role, string? LeaderId, long Applied)?> ClusterOfAsync(DealwireProcess node) =>
        await ClusterHealthAsync(node, TimeSpan.FromSeconds(15), okOnly: true) is { } c
            ? (c.GetProperty("role").GetString()!, c.GetProperty("leaderId").GetString(), c.GetProperty("appliedSequence").GetInt64())
            : null;

    /// <summary>Waits until one live node leads and every live node names it and has applied the same sequence, above <paramref name="above"/>.</summary>
    public Task<(string Leader, long Sequence)> WaitForAgreementAsync(TimeSpan timeout, long above = 0) =>
        WaitForLeaderAsync(timeout, "agreement", (views, leader) =>
            views.Values.Select(v => v.Applied).Distinct().Count() == 1 && views[leader].Applied > above ? views[leader].Applied : null);

    /// <summary>
    /// With a feed the leader never rests, so "equal" is "caught up": waits until one live node leads, every live node
    /// names it, and each has applied at least what the leader had applied when it was first seen leading.
    /// </summary>
    public Task<(string Leader, long Sequence)> WaitForCaughtUpAsync(TimeSpan timeout)
    {
        (string Leader, long Sequence)? target = null;
        return WaitForLeaderAsync(timeout, "caught-up leader", (views, leader) =>
        {
            if (target?.Leader != leader) target = (leader, views[leader].Applied);
            return views.Values.All(v => v.Applied >= target.Value.Sequence) ? target.Value.Sequence : null;
        });
    }

    /// <summary>
    /// Polls every live node's /health until one leads, all name it, and <paramref name="settled"/> (given the views and the
    /// leader) returns the sequence they settled at.
    /// </summary>
    private async Task<(string Leader, long Sequence)> WaitForLeaderAsync(TimeSpan timeout, string what,
        Func<Dictionary<string, (string Role, string? LeaderId, long Applied)>, string, long?> settled)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var views = new Dictionary<string, (string Role, string? LeaderId, long Applied)>();
            foreach (var (id, node) in Nodes)
            {
                if (!node.HasExited && await ClusterOfAsync(node) is { } view) views[id] = view;
            }
            var leaders = views.Where(v => v.Value.Role == "leader").Select(v => v.Key).ToList();
            if (leaders.Count == 1 && views.Values.All(v => v.LeaderId == leaders[0]) && settled(views, leaders[0]) is { } sequence)
            {
                return (leaders[0], sequence);
            }
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"No {what} within {timeout}: {string.Join("; ", views.Select(v => $"{v.Key}={v.Value}"))}\n"
                    + string.Join("\n", Nodes.Select(n => $"--- {n.Key}\n{n.Value.CapturedOutput}")));
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until a gateway's /health says gateway, follows a replica, names <paramref name="leader"/> (any leader when
    /// null) and has applied <paramref name="sequence"/>; returns its cluster section.
    /// </summary>
    public static async Task<JsonElement> WaitForGatewayAsync(DealwireProcess gateway, long sequence, TimeSpan timeout, string? leader = null)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await ClusterHealthAsync(gateway, TimeSpan.FromSeconds(5), okOnly: true);
            if (last is { } c && c.GetProperty("role").GetString() == "gateway" && c.GetProperty("leaderId").GetString() is { } named
                && (leader is null || named == leader) && c.GetProperty("appliedSequence").GetInt64() >= sequence
                && c.GetProperty("following").GetString() is not null)
            {
                return c;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"gateway did not reach sequence {sequence} under leader {leader ?? "any"}: {last}\n{gateway.CapturedOutput}");
    }

    /// <summary>
    /// Waits until every one of <paramref name="nodes"/> verified a state checkpoint taken after <paramref name="above"/>
    /// (its hash equal to the leader's there) and none raised the divergence alarm; returns the lowest such checkpoint.
    /// </summary>
    public static async Task<long> WaitForVerifiedCheckpointAsync(IReadOnlyCollection<(string Id, DealwireProcess Node)> nodes, long above, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var verified = new List<long>();
            var silent = new List<(string Id, DealwireProcess Node)>();
            foreach (var (id, node) in nodes)
            {
                if (await ClusterHealthAsync(node, TimeSpan.FromSeconds(5)) is not { } c)
                {
                    silent.Add((id, node));
                    continue;
                }
                var alarm = c.GetProperty("divergenceAlarm");
                Assert.True(alarm.ValueKind == JsonValueKind.Null, $"node {id} diverged: {alarm}");
                verified.Add(c.GetProperty("verifiedCheckpoint").GetInt64());
            }
            if (silent.Count == 0 && verified.Min() > above) return verified.Min();
            if (clock.Elapsed > timeout)
            {
                // Say which node did not answer and what it last wrote: a clean-clone run at load 34 timed out here with
                // three equal checkpoints and one node silent, and nothing else to go on.
                var tails = silent.Select(n => $"--- {n.Id} ({(n.Node.HasExited ? "exited" : "running")}), last output:\n{Tail(n.Node.OutputSinceLastStart, 40)}");
                throw new TimeoutException($"no checkpoint after {above} verified on every node: [{string.Join(", ", verified)}]"
                    + (silent.Count > 0 ? $"; /health did not answer on {string.Join(", ", silent.Select(n => n.Id))}\n{string.Join("\n", tails)}" : ""));
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A <c>BalanceInSync</c> on account 1000 through this node's Server API; the reply object.</summary>
    public static async Task<JsonElement> DepositAsync(DealwireProcess node, decimal amount, string comment)
    {
        await using var client = await Faults.ReplicaClient.ConnectAsync("", node);
        return await client.CallAsync("BalanceInSync", new { login = 1000, amount, comment }, TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// A deposit on <paramref name="node"/> once account 1000 exists there. The leader sequences the embedded default over
    /// several batches and agreement can come before the one that creates the account reached this node; a 404 changes
    /// nothing, so the deposit is asked again (for up to 30 s) until it is answered otherwise (a follower's answer is then
    /// its refusal).
    /// </summary>
    public static async Task<JsonElement> DepositOnceSeededAsync(DealwireProcess node, decimal amount, string comment)
    {
        var reply = await DepositAsync(node, amount, comment);
        for (var wait = Stopwatch.StartNew(); reply.GetProperty("status").GetInt32() == 404 && wait.Elapsed < TimeSpan.FromSeconds(90);)
        {
            await Task.Delay(200);
            reply = await DepositAsync(node, amount, comment);
        }
        return reply;
    }

    /// <summary>Stops a node gracefully; its shutdown snapshot line gives the sequence and state hash it stopped at.</summary>
    public static async Task<(long Sequence, string Hash)> StopAndReadStateAsync(DealwireProcess node)
    {
        await node.StopAsync();
        var matches = SnapshotLine().Matches(node.OutputSinceLastStart);
        if (matches.Count == 0) throw new InvalidOperationException($"No shutdown snapshot in the output:\n{node.OutputSinceLastStart}");
        var last = matches[^1];
        return (long.Parse(last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), last.Groups[2].Value);
    }

    [GeneratedRegex(@"Snapshot at sequence (\d+) written \(\d+ bytes, hash ([0-9a-f]+)\)")]
    private static partial Regex SnapshotLine();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values) await node.DisposeAsync();
    }

    /// <summary>The last <paramref name="lines"/> lines of a process's output (what a timeout message shows of it).</summary>
    internal static string Tail(string output, int lines) =>
        string.Join('\n', output.Split('\n').TakeLast(lines));
}
