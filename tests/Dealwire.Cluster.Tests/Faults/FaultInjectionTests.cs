using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Dealwire.Engine.Defaults;
using Dealwire.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Dealwire.Cluster.Tests.Faults;

/// <summary>
/// The replication acceptance test (issue #21): three real replicas behind fault proxies and a gateway node, traders
/// depositing, opening and closing on their own accounts — three through whichever replica they reach (following
/// <c>RET_NOT_LEADER</c> to the leader), one through the gateway only — and in each of 20 seeded rounds one fault:
/// SIGKILL or SIGSTOP of the leader or a follower, a partitioned follower, a leader cut off one way, a lost quorum,
/// delayed links, links that drop connections, SIGKILL of the gateway. After each round, healed: every acknowledged
/// operation is on every replica and on the gateway exactly once (read from each node's own live view and history
/// store), every balance is its ledger, every replica and the gateway verified a state checkpoint past the round (equal
/// hashes at equal sequences), and no term ever had two leaders accepting commands.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private static readonly int Rounds = int.Parse(Environment.GetEnvironmentVariable("DEALWIRE_FAULT_ROUNDS") ?? "20", CultureInfo.InvariantCulture);
    /// <summary>DEALWIRE_FAULT_KINDS=PauseLeader,KillLeader narrows the schedule to those faults (to chase one defect).</summary>
    private static readonly FaultKind[]? OnlyKinds = Environment.GetEnvironmentVariable("DEALWIRE_FAULT_KINDS")?
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<FaultKind>).ToArray();
    private const int Traders = 3;
    private const int GatewayTraders = 1;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    private enum FaultKind { KillLeader, KillFollower, PauseLeader, PauseFollower, PartitionFollower, CutLeaderInbound, LoseQuorum, DelayLinks, DropLinks, KillGateway }

    /// <summary>
    /// Waits until the leader has the whole embedded default, whose last command creates the netting demo account.
    /// Prices need only its symbols, which come first: a clean-clone run at load 41 was priced while the groups were still
    /// on their way through the log, and its first MngAddAccount found no group "demo".
    /// </summary>
    private static async Task WaitForDefaultAsync(ReplicaClient leader, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reply = await leader.CallAsync("GetAccountByLogin", new { login = DemoDefaults.NettingLogin }, TimeSpan.FromSeconds(20));
            if (reply.GetProperty("status").GetInt32() == 200) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"the embedded default did not reach the leader in {timeout}: {reply}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Acknowledged_operations_survive_kills_pauses_partitions_delays_and_drops_on_every_replica()
    {
        var seed = Environment.GetEnvironmentVariable("DEALWIRE_FAULT_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Environment.TickCount;
        output.WriteLine($"fault injection seed {seed} (set DEALWIRE_FAULT_SEED to repeat the schedule)");
        var random = new Random(seed);
        await using var cluster = await FaultCluster.StartAsync(seed, checkpointInterval: TimeSpan.FromSeconds(2));
        var (leader, _) = await WaitForHealthyAsync(cluster, TimeSpan.FromSeconds(90));
        // Prices reach the engine through the log: a clean-clone run at load 29 did not replicate one pass of the tape in 30 s.
        await cluster.Nodes[leader].WaitUntilPricedAsync(TimeSpan.FromSeconds(90));

        var books = new List<TradeBook>();
        await using (var setup = await ReplicaClient.ConnectAsync(leader, cluster.Nodes[leader]))
        {
            await WaitForDefaultAsync(setup, TimeSpan.FromSeconds(90));
            for (var i = 0; i < Traders + GatewayTraders; i++)
            {
                var login = (await setup.CallOkAsync("MngAddAccount", new
                {
                    group = "demo", name = $"Fault {i}", email = "fault@example.com", password = "secret1", leverage = 100, enable = 1,
                })).GetProperty("login").GetInt64();
                var book = new TradeBook(login);
                var deposit = await setup.CallOkAsync("BalanceInSync", new { login, amount = 100_000m, comment = "seed" });
                book.Deposits[deposit.GetProperty("order").GetInt64()] = 100_000m;
                books.Add(book);
            }
        }

        var failovers = new List<double>();
        var total = Stopwatch.StartNew();
        for (var round = 1; round <= Rounds; round++)
        {
            var kind = (FaultKind)random.Next(Enum.GetValues<FaultKind>().Length);
            if (OnlyKinds is { Length: > 0 } only) kind = only[(int)kind % only.Length];
            var startAfter = random.Next(300, 1000);
            var hold = random.Next(2000, 4500);
            var traderSeeds = Enumerable.Range(0, Traders + GatewayTraders).Select(_ => random.Next()).ToArray();
            var faultSeed = random.Next();
            var acks = new AckLog();
            using var load = new CancellationTokenSource();
            var traders = books.Select((b, i) => TradeAsync(cluster, b, round, new Random(traderSeeds[i]), viaGateway: i >= Traders, acks, load.Token)).ToList();

            await Task.Delay(startAfter);
            var before = await cluster.LeaderAsync();
            var faultAt = acks.Now;
            var (what, undo) = await InjectAsync(cluster, kind, before, new Random(faultSeed));
            // Written before the checks, so a round that fails them is named in the output.
            output.WriteLine($"round {round,2} begins: {what} (leader {before ?? "-"})");
            await Task.Delay(hold);
            await undo();
            await Task.Delay(1000);
            await load.CancelAsync();
            await Task.WhenAll(traders);
            await cluster.HealAllAsync();

            // Failover: the leader lost (killed or frozen) → the first command another node acknowledged.
            var failover = kind is FaultKind.KillLeader or FaultKind.PauseLeader && before is not null ? acks.FirstAfter(faultAt, except: before) : null;
            if (failover is { } f) failovers.Add(f.TotalMilliseconds);

            var phase = Stopwatch.StartNew();
            var (agreed, sequence) = await WaitForHealthyAsync(cluster, TimeSpan.FromSeconds(90));
            foreach (var id in LeaderFirst(agreed))
            {
                await WaitForStoreAsync(cluster.Nodes[id], sequence, TimeSpan.FromSeconds(60));
                await using var check = await ReplicaClient.ConnectAsync(id, cluster.Nodes[id]);
                foreach (var book in books) await book.ReconcileAsync((command, data) => check.CallOkAsync(command, data), $"round {round} ({kind}), replica {id}");
            }
            if (cluster.Gateway.HasExited) await cluster.Gateway.RestartAsync();
            await EndToEnd.ReplicaSet.WaitForGatewayAsync(cluster.Gateway, sequence, TimeSpan.FromSeconds(90));
            await WaitForStoreAsync(cluster.Gateway, sequence, TimeSpan.FromSeconds(60));
            await using (var check = await ReplicaClient.ConnectAsync("g", cluster.Gateway))
            {
                foreach (var book in books) await book.ReconcileAsync((command, data) => check.CallOkAsync(command, data), $"round {round} ({kind}), gateway g");
            }
            var everyNode = cluster.Nodes.Select(n => (n.Key, n.Value)).Append(("g", cluster.Gateway)).ToList();
            var verified = await EndToEnd.ReplicaSet.WaitForVerifiedCheckpointAsync(everyNode, sequence, TimeSpan.FromSeconds(90));
            var twoLeaders = cluster.LeadersByTerm.FirstOrDefault(t => t.Value.Count > 1);
            Assert.True(twoLeaders.Value is null, $"round {round}: term {twoLeaders.Key} had leaders {string.Join(",", twoLeaders.Value?.Keys ?? [])}");

            output.WriteLine($"round {round,2}: {what} for {hold} ms; {books.Sum(b => b.AckedThisRound)} acknowledged ({books.Skip(Traders).Sum(b => b.AckedThisRound)} through the gateway), "
                + $"{books.Sum(b => b.InDoubtThisRound)} in doubt; leader {before ?? "-"} -> {agreed} at sequence {sequence}"
                + (failover is { } fo ? $", failover {fo.TotalMilliseconds:0} ms" : "")
                + $"; checkpoint {verified} verified on all, checked in {phase.ElapsedMilliseconds} ms");
        }
        var terms = cluster.LeadersByTerm.OrderBy(t => t.Key).Select(t => $"{t.Key}:{string.Join("", t.Value.Keys)}");
        output.WriteLine($"{Rounds} rounds in {total.Elapsed.TotalSeconds:0} s; leaders by term {string.Join(" ", terms)}");
        if (failovers.Count > 0)
        {
            failovers.Sort();
            output.WriteLine($"failover (leader lost -> first command acknowledged by another): median {failovers[failovers.Count / 2]:0} ms over {failovers.Count} rounds, "
                + $"min {failovers[0]:0}, max {failovers[^1]:0} (machine load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
    }

    /// <summary>The leader first: it holds everything, so in-doubt operations are adopted from it; the followers must agree.</summary>
    private static IEnumerable<string> LeaderFirst(string leader) => EndToEnd.ReplicaSet.Ids.OrderBy(id => id == leader ? 0 : 1);

    private static async Task<(string What, Func<Task> Undo)> InjectAsync(FaultCluster cluster, FaultKind kind, string? leader, Random random)
    {
        var ids = EndToEnd.ReplicaSet.Ids;
        leader ??= ids[random.Next(ids.Length)]; // no leader at this instant: hit any node
        var followers = ids.Where(id => id != leader).ToArray();
        var follower = followers[random.Next(followers.Length)];
        var proxies = cluster.Proxies;
        switch (kind)
        {
            case FaultKind.KillLeader or FaultKind.KillFollower:
            {
                var victim = kind == FaultKind.KillLeader ? leader : follower;
                await cluster.Nodes[victim].KillAsync();
                return ($"SIGKILL {(kind == FaultKind.KillLeader ? "leader" : "follower")} {victim}, restart", () => cluster.Nodes[victim].RestartAsync());
            }
            case FaultKind.PauseLeader or FaultKind.PauseFollower:
            {
                var victim = kind == FaultKind.PauseLeader ? leader : follower;
                cluster.Nodes[victim].Pause();
                return ($"SIGSTOP {(kind == FaultKind.PauseLeader ? "leader" : "follower")} {victim}, SIGCONT", () =>
                {
                    cluster.Nodes[victim].Resume();
                    return Task.CompletedTask;
                });
            }
            case FaultKind.KillGateway:
                await cluster.Gateway.KillAsync();
                return ("SIGKILL gateway g, restart", () => cluster.Gateway.RestartAsync());
            case FaultKind.PartitionFollower:
                proxies[follower].Partition();
                return ($"partition follower {follower}", Heal);
            case FaultKind.CutLeaderInbound:
                proxies[leader].Partition();
                return ($"cut leader {leader} inbound (it still reaches the others)", Heal);
            case FaultKind.LoseQuorum:
                foreach (var id in followers) proxies[id].Partition();
                return ($"partition both followers {string.Join(",", followers)} (no quorum)", Heal);
            case FaultKind.DelayLinks:
            {
                var delay = TimeSpan.FromMilliseconds(random.Next(20, 400));
                foreach (var proxy in proxies.Values) proxy.Delay(delay);
                return ($"delay every link {delay.TotalMilliseconds:0} ms", Heal);
            }
            case FaultKind.DropLinks:
            {
                var probability = random.Next(2, 25) / 100.0;
                foreach (var proxy in proxies.Values) proxy.Drop(probability);
                return ($"reset connections on {probability:P0} of transfers", Heal);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        Task Heal()
        {
            foreach (var proxy in proxies.Values) proxy.Heal();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// One trader: one command at a time on its account, to the node it believes leads. A refusal naming the leader
    /// moves it there; a dead or silent node (no reply in <see cref="ReplyTimeout"/>) leaves the command in doubt and
    /// moves it to the next node. A gateway trader stays on the gateway, which finds the leader itself.
    /// </summary>
    private static async Task TradeAsync(FaultCluster cluster, TradeBook book, int round, Random random, bool viaGateway, AckLog acks, CancellationToken stop)
    {
        book.StartRound();
        var ids = EndToEnd.ReplicaSet.Ids;
        var target = viaGateway ? "g" : ids[random.Next(ids.Length)];
        ReplicaClient? client = null;
        var n = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (client is null)
                {
                    try
                    {
                        client = await ReplicaClient.ConnectAsync(target, viaGateway ? cluster.Gateway : cluster.Nodes[target]);
                    }
                    catch (Exception ex) when (ex is SocketException or IOException)
                    {
                        target = Next(target);
                        await Task.Delay(100, CancellationToken.None);
                        continue;
                    }
                }
                var op = book.Next(round, n++, random);
                book.Sent(op);
                JsonElement reply;
                try
                {
                    reply = await client.CallAsync(op.Command, op.Data, ReplyTimeout);
                }
                catch (Exception ex) when (ex is TimeoutException or IOException or EndOfStreamException or SocketException or ObjectDisposedException)
                {
                    book.Unanswered(op);
                    await client.DisposeAsync();
                    client = null;
                    target = Next(target);
                    continue;
                }
                book.Settle(op, reply);
                if (reply.GetProperty("status").GetInt32() == 200)
                {
                    if (!viaGateway) acks.Record(target);
                    continue;
                }
                if (reply.TryGetProperty("error", out var error) && error.GetString() == "RET_NOT_LEADER")
                {
                    // "leader is b at 127.0.0.1:port" names where to go; during an election there is no name yet.
                    var message = reply.GetProperty("message").GetString() ?? "";
                    var named = ids.FirstOrDefault(id => message.StartsWith($"leader is {id} ", StringComparison.Ordinal));
                    await client.DisposeAsync();
                    client = null;
                    target = viaGateway ? target : named ?? Next(target);
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }

        string Next(string id) => viaGateway ? id : ids[(Array.IndexOf(ids, id) + 1) % ids.Length];
    }

    /// <summary>
    /// Waits until all three replicas answer, exactly one leads, every one names it, and the followers have applied
    /// what the leader had applied when first seen (ticks keep the leader moving, so "equal" is "caught up to").
    /// </summary>
    private static async Task<(string Leader, long Sequence)> WaitForHealthyAsync(FaultCluster cluster, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        (string Leader, long Sequence)? target = null;
        var last = "";
        while (clock.Elapsed < timeout)
        {
            // A deposed leader stops itself (fail-stop) and may finish exiting after the round's heal: restart it too.
            foreach (var node in cluster.Nodes.Values.Where(n => n.HasExited)) await node.RestartAsync();
            var views = new Dictionary<string, JsonElement>();
            foreach (var (id, node) in cluster.Nodes)
            {
                if (await EndToEnd.ReplicaSet.ClusterHealthAsync(node, TimeSpan.FromSeconds(3)) is { } c) views[id] = c;
            }
            last = string.Join("; ", views.Select(v => $"{v.Key}={v.Value}"));
            var leaders = views.Where(v => v.Value.GetProperty("role").GetString() == "leader").Select(v => v.Key).ToList();
            if (views.Count == cluster.Nodes.Count && leaders.Count == 1 && views.Values.All(v => v.GetProperty("leaderId").GetString() == leaders[0]))
            {
                if (target?.Leader != leaders[0]) target = (leaders[0], views[leaders[0]].GetProperty("appliedSequence").GetInt64());
                if (views.Values.All(v => v.GetProperty("appliedSequence").GetInt64() >= target.Value.Sequence)) return target.Value;
            }
            else
            {
                target = null;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The replicas did not settle on one leader within {timeout}: {last}\n"
            + string.Join("\n", cluster.Nodes.Select(n => $"--- {n.Key}\n{EndToEnd.ReplicaSet.Tail(n.Value.CapturedOutput, 60)}")));
    }

    /// <summary>Waits until the node's history store has stored everything up to <paramref name="sequence"/>.</summary>
    private static async Task WaitForStoreAsync(DealwireProcess node, long sequence, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await node.GetHealthAsync();
            if (health.GetProperty("history").GetProperty("appliedSequence").GetInt64() >= sequence) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"history store behind {sequence}: {health}");
            await Task.Delay(100);
        }
    }

    /// <summary>When each node acknowledged a command this round (failover time).</summary>
    private sealed class AckLog
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(TimeSpan At, string Node)> _acks = [];

        public TimeSpan Now => _clock.Elapsed;

        public void Record(string node)
        {
            lock (_acks) _acks.Add((_clock.Elapsed, node));
        }

        public TimeSpan? FirstAfter(TimeSpan at, string except)
        {
            lock (_acks)
            {
                var first = _acks.Where(a => a.At > at && a.Node != except).Select(a => (TimeSpan?)a.At).FirstOrDefault();
                return first - at;
            }
        }
    }
}
