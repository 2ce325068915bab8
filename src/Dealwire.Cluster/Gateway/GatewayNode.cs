using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.Persistence.Journal;
using Microsoft.Extensions.Logging;

namespace Dealwire.Cluster.Gateway;

/// <summary>
/// A gateway node (<c>Cluster:Role gateway</c>): holds client connections for every protocol without voting. Its engine
/// moves only by the committed log, which it follows from any replica over the gateway link (applied through the
/// replay path, so its live view, history store and pushes work as on any node); its clients' commands go to the
/// leader over one link, and each answer is the leader's outcome with the value this node's own engine produced at that
/// sequence, released once this node has it durable and published (read-your-writes).
/// </summary>
public sealed class GatewayNode : ICommandGate, ICommandForwarder, IAsyncDisposable
{
    /// <summary>A followed replica whose stream has not reached a sequence the leader already acknowledged for this long is dropped for another.</summary>
    internal static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(3);

    /// <summary>How long a command waits for a leader to be reachable before it is refused (nothing was sent, so it is safe to retry).</summary>
    internal static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(5);

    /// <summary>How long a forwarded command waits for the leader's answer before its outcome is declared unknown.</summary>
    internal static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private readonly ClusterOptions _options;
    private readonly IReadOnlyList<ClusterMember> _upstreams;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _commandLinkLock = new(1, 1);
    private EngineRunner? _runner;
    private Task _follow = Task.CompletedTask;
    private CommandLink? _commandLink;
    private volatile string? _leaderId;
    private volatile string? _followedId;
    private long _awaited;
    private int _next;

    public GatewayNode(ClusterOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _upstreams = options.ParseUpstreams();
        _logger = loggers.CreateLogger("Dealwire.Cluster.Gateway");
        Status = new GatewayStatus(this);
    }

    /// <summary>What <c>/health</c> reports for this gateway.</summary>
    public GatewayStatus Status { get; }

    /// <summary>The values this node's engine produced for commands from the log: the answers to forwarded commands.</summary>
    public ReplicatedOutcomes Outcomes { get; } = new();

    public string NodeId => _options.NodeId!;

    /// <summary>The leader as the replicas report it; null while none is known.</summary>
    public string? LeaderId => _leaderId;

    /// <summary>The replica whose committed stream this node follows now.</summary>
    public string? FollowedId => _followedId;

    /// <summary>Ticks and anything else that would be sequenced here are refused: this node never sequences.</summary>
    public string? Refusal => $"gateway {NodeId} does not sequence commands; they go to the leader ({_leaderId ?? "none known"})";

    /// <summary>Starts following the committed stream into <paramref name="runner"/> (already running).</summary>
    public void Start(EngineRunner runner)
    {
        _runner = runner;
        _follow = Task.Run(() => FollowLoopAsync(_stop.Token));
        _logger.LogInformation("Gateway {Node} follows replicas {Upstreams} from sequence {Sequence}", NodeId, _options.Upstreams, Outcomes.Released);
    }

    // ---------------------------------------------------------------- following the committed stream

    private async Task FollowLoopAsync(CancellationToken stop)
    {
        var preferLeader = true;
        while (!stop.IsCancellationRequested)
        {
            // The leader's stream first: it publishes a batch as soon as it is committed, a follower only once it hears so.
            // After a failure, the next replica in turn (the leader may be the one that cannot serve).
            var leader = preferLeader ? _upstreams.FirstOrDefault(u => u.Id == _leaderId) : null;
            var upstream = leader ?? _upstreams[_next++ % _upstreams.Count];
            preferLeader = true;
            var pause = TimeSpan.FromMilliseconds(200);
            try
            {
                await FollowAsync(upstream, stop).ConfigureAwait(false);
            }
            catch (LeaderElsewhereException ex)
            {
                _logger.LogInformation("Gateway {Node}: {Upstream} does not lead; following the leader {Leader}", NodeId, upstream.Id, ex.Leader);
                continue;
            }
            catch (LinkRefusedException ex)
            {
                // An operator's matter (a wrong key, or a journal retired past this gateway's sequence): loud, and slower.
                _logger.LogError("Gateway {Node}: {Upstream} refused to stream: {Reason}", NodeId, upstream.Id, ex.Message);
                preferLeader = false;
                pause = TimeSpan.FromSeconds(2);
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or EndOfStreamException or OperationCanceledException or FormatException)
            {
                if (stop.IsCancellationRequested) return;
                _logger.LogInformation("Gateway {Node}: following {Upstream} ended ({Reason}); trying the next replica", NodeId, upstream.Id, ex.Message);
                preferLeader = false;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                // The engine refused a committed batch (this node diverged) or stopped: nothing more can be served correctly.
                _logger.LogCritical(ex, "Gateway {Node} could not apply the committed stream from {Upstream}", NodeId, upstream.Id);
                HasFaulted = true;
                Faulted?.Invoke(ex);
                return;
            }
            finally
            {
                _followedId = null;
            }
            await Task.Delay(pause, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Raised when the followed stream cannot be applied here; the host stops the process.</summary>
    public event Action<Exception>? Faulted;

    /// <summary>True once the stream could not be applied (the process then exits non-zero).</summary>
    public bool HasFaulted { get; private set; }

    private async Task FollowAsync(ClusterMember upstream, CancellationToken stop)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        await using var link = await OpenAsync(upstream, connection.Token).ConfigureAwait(false);
        var after = Outcomes.Released;
        await link.WriteAsync(LinkKind.Follow, w => w.Write(after), connection.Token).ConfigureAwait(false);
        _followedId = upstream.Id;
        _logger.LogInformation("Gateway {Node} follows {Upstream} after sequence {Sequence}", NodeId, upstream.Id, after);
        var watchdog = WatchAsync(upstream, connection);
        try
        {
            while (await link.ReadAsync(connection.Token).ConfigureAwait(false) is var (kind, body))
            {
                switch (kind)
                {
                    case LinkKind.Batch:
                        var commands = BatchPayload.Decode(body);
                        if (commands.Count > 0) await _runner!.ApplyReplicatedAsync(commands, connection.Token).ConfigureAwait(false);
                        break;
                    case LinkKind.Status:
                        var status = LinkConnection.ReadStatus(body);
                        _leaderId = status.LeaderId;
                        if (!status.Leads && status.LeaderId is { } leader && leader != upstream.Id && _upstreams.Any(u => u.Id == leader))
                        {
                            throw new LeaderElsewhereException(leader);
                        }
                        break;
                    case LinkKind.Refused:
                        throw LinkConnection.Refusal(body);
                    default:
                        throw new InvalidDataException($"unexpected frame {kind}");
                }
            }
            throw new EndOfStreamException("the replica closed the link");
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Drops the followed replica when the leader acknowledged a sequence this node has not received for
    /// <see cref="StallLimit"/>: the replica is partitioned, frozen or far behind, and another one has it.
    /// </summary>
    private async Task WatchAsync(ClusterMember upstream, CancellationTokenSource connection)
    {
        var since = Stopwatch.StartNew();
        var released = Outcomes.Released;
        while (!connection.IsCancellationRequested)
        {
            await Task.Delay(250, connection.Token).ConfigureAwait(false);
            var now = Outcomes.Released;
            if (now != released || Interlocked.Read(ref _awaited) <= now)
            {
                released = now;
                since.Restart();
                continue;
            }
            if (since.Elapsed < StallLimit) continue;
            _logger.LogWarning("Gateway {Node}: {Upstream} has not delivered sequence {Awaited} in {Seconds} s (applied {Applied}); following another replica",
                NodeId, upstream.Id, Interlocked.Read(ref _awaited), StallLimit.TotalSeconds, now);
            await connection.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<LinkConnection> OpenAsync(ClusterMember upstream, CancellationToken cancellationToken)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(TimeSpan.FromSeconds(2));
        var link = await LinkConnection.ConnectAsync(upstream.Host, upstream.Port, connect.Token).ConfigureAwait(false);
        try
        {
            await link.WriteAsync(LinkKind.Hello, w => w.Write(_options.GatewayKey ?? ""), connect.Token).ConfigureAwait(false);
            return await link.ReadAsync(connect.Token).ConfigureAwait(false) switch
            {
                (LinkKind.Welcome, _) => link,
                (LinkKind.Refused, var body) => throw LinkConnection.Refusal(body),
                var other => throw new InvalidDataException($"{upstream.Id} answered the hello with {other?.Kind.ToString() ?? "nothing"}"),
            };
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ---------------------------------------------------------------- forwarding commands

    public async Task<CommandResult<object>> ForwardAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        var payload = BatchPayload.Encode([command]); // once, however often the command is sent again to another leader
        var waitingForLeader = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var link = await CommandLinkAsync(cancellationToken).ConfigureAwait(false);
            if (link is null)
            {
                if (waitingForLeader.Elapsed > LeaderWait) return Refuse($"no leader is reachable from gateway {NodeId}; retry shortly");
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                continue;
            }
            LinkResult reply;
            try
            {
                reply = await link.SendAsync(payload, cancellationToken).WaitAsync(ReplyTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ObjectDisposedException)
            {
                // Sent, and no answer: the leader may have applied it. Retrying could apply it twice, so the caller decides.
                await DropAsync(link).ConfigureAwait(false);
                return new CommandResult<object>(ReturnCode.ErrTimeout, $"the link to the leader was lost before it answered ({ex.Message}); the command's outcome is unknown", null);
            }
            if (reply.Code == ReturnCode.NotLeader)
            {
                // Refused before it was sequenced: safe to send again, to the leader the replica names.
                _leaderId = reply.LeaderId ?? _leaderId;
                await DropAsync(link).ConfigureAwait(false);
                if (waitingForLeader.Elapsed > LeaderWait) return Refuse(reply.Message);
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return await AnswerAsync(command, reply, cancellationToken).ConfigureAwait(false);
        }
    }

    private static CommandResult<object> Refuse(string message) => new(ReturnCode.NotLeader, message, null);

    /// <summary>
    /// The leader's outcome, once this node has applied through its sequence, with the value this node's engine produced
    /// there (a repeated idempotent request: the remembered original, as the leader answered it).
    /// </summary>
    private async Task<CommandResult<object>> AnswerAsync(EngineCommand command, LinkResult reply, CancellationToken cancellationToken)
    {
        if (reply.Code is not (ReturnCode.Ok or ReturnCode.OkNone)) return new CommandResult<object>(reply.Code, reply.Message, null) { Sequence = reply.Sequence };
        InterlockedMax(ref _awaited, reply.Sequence);
        object? value;
        try
        {
            value = await Outcomes.WaitAsync(reply.Sequence, cancellationToken).WaitAsync(ReplyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new CommandResult<object>(ReturnCode.ErrTimeout,
                $"the leader applied the command at sequence {reply.Sequence}, but gateway {NodeId} has not received that sequence yet", null) { Sequence = reply.Sequence };
        }
        if (reply.Code == ReturnCode.OkNone && command is IIdempotentCommand { IdempotencyKey: { } key })
        {
            var record = await _runner!.ExclusiveAsync(engine => engine.FindIdempotency(command.Actor, key), cancellationToken).ConfigureAwait(false);
            value = (object?)record?.Entry ?? record?.Trade;
        }
        return new CommandResult<object>(reply.Code, reply.Message, value) { Sequence = reply.Sequence };
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>The open link to the leader, opening one to the replica believed to lead (or the next one) when there is none.</summary>
    private async Task<CommandLink?> CommandLinkAsync(CancellationToken cancellationToken)
    {
        if (_commandLink is { IsOpen: true } open) return open;
        await _commandLinkLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_commandLink is { IsOpen: true } again) return again;
            var target = _upstreams.FirstOrDefault(u => u.Id == _leaderId) ?? _upstreams[Interlocked.Increment(ref _next) % _upstreams.Count];
            try
            {
                var link = await OpenAsync(target, cancellationToken).ConfigureAwait(false);
                _commandLink = new CommandLink(link, target.Id, _logger);
                return _commandLink;
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogDebug("Gateway {Node}: no command link to {Upstream}: {Reason}", NodeId, target.Id, ex.Message);
                if (target.Id == _leaderId) _leaderId = null;
                return null;
            }
        }
        finally
        {
            _commandLinkLock.Release();
        }
    }

    private async Task DropAsync(CommandLink link)
    {
        if (Interlocked.CompareExchange(ref _commandLink, null, link) == link) await link.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _follow.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_commandLink is { } link) await link.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The followed replica names another leader: the gateway moves to the leader's stream (the shortest path).</summary>
    private sealed class LeaderElsewhereException(string leader) : Exception($"the leader is {leader}")
    {
        public string Leader => leader;
    }

    /// <summary>One link to a replica carrying forwarded commands: correlation ids, answers in any order, every waiter failed when it breaks.</summary>
    private sealed class CommandLink : IAsyncDisposable
    {
        private readonly LinkConnection _link;
        private readonly ConcurrentDictionary<long, TaskCompletionSource<LinkResult>> _pending = new();
        private readonly CancellationTokenSource _closed = new();
        private readonly Task _reader;
        private long _nextId;

        public CommandLink(LinkConnection link, string upstreamId, ILogger logger)
        {
            _link = link;
            _reader = Task.Run(async () =>
            {
                Exception failure = new IOException($"the link to {upstreamId} closed");
                try
                {
                    while (await _link.ReadAsync(_closed.Token).ConfigureAwait(false) is var (kind, body))
                    {
                        if (kind == LinkKind.Refused) throw LinkConnection.Refusal(body, upstreamId);
                        if (kind != LinkKind.Result) throw new InvalidDataException($"unexpected frame {kind} on a command link");
                        var (id, reply) = LinkConnection.ReadResult(body);
                        if (_pending.TryRemove(id, out var waiter)) waiter.TrySetResult(reply);
                    }
                }
                catch (Exception ex)
                {
                    failure = ex as IOException ?? new IOException(ex.Message, ex);
                    if (!_closed.IsCancellationRequested) logger.LogInformation("Command link to {Upstream} ended: {Reason}", upstreamId, ex.Message);
                }
                IsOpen = false;
                foreach (var id in _pending.Keys)
                {
                    if (_pending.TryRemove(id, out var waiter)) waiter.TrySetException(failure);
                }
            });
        }

        public bool IsOpen { get; private set; } = true;

        public async Task<LinkResult> SendAsync(byte[] payload, CancellationToken cancellationToken)
        {
            var id = Interlocked.Increment(ref _nextId);
            var waiter = new TaskCompletionSource<LinkResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = waiter;
            if (!IsOpen && _pending.TryRemove(id, out _)) throw new IOException("the command link is closed");
            try
            {
                await _link.SendAsync(LinkConnection.PayloadFrame(LinkKind.Forward, id, payload), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _pending.TryRemove(id, out _);
                throw new IOException(ex.Message, ex);
            }
            return await waiter.Task.ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            IsOpen = false;
            await _closed.CancelAsync().ConfigureAwait(false);
            await _link.DisposeAsync().ConfigureAwait(false);
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary><c>/health</c>'s view of a gateway node.</summary>
public sealed class GatewayStatus(GatewayNode node) : NodeStatus
{
    public override string Role => "gateway";

    public override string? NodeId => node.NodeId;

    public override string? LeaderId => node.LeaderId;

    /// <summary>A gateway accepts commands in no term of its own.</summary>
    public override long Term => 0;

    /// <summary>The replica this gateway follows now (null while it looks for one).</summary>
    public string? Following => node.FollowedId;
}
