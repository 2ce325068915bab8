using Dealwire.Engine.Model;
using Dealwire.Gateway.Outbound;
using Dealwire.Gateway.Sessions;
using Dealwire.Security;
using Dealwire.ServerApi.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Sessions;

/// <summary>
/// One Server API connection: its outbound queue, the identity of its latest valid token (streams
/// follow it, and end when it expires) and its quote subscriptions.
/// </summary>
internal sealed class Session
{
    private long _answeredSequence;

    /// <summary>Highest engine sequence a reply on this connection carried: later reads wait for the live view to reach it.</summary>
    public long AnsweredSequence => Interlocked.Read(ref _answeredSequence);

    private Task _lateWrites = Task.CompletedTask;

    /// <summary>Writes answered SYNC_TIMEOUT that the engine has not finished: a later read waits for them (read-your-writes).</summary>
    public Task LateWrites => Volatile.Read(ref _lateWrites);

    /// <summary>Remembers a write whose caller was answered before the engine; it never faults (its own outcome is logged elsewhere).</summary>
    public void AddLateWrite(Task write)
    {
        var settled = write.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        lock (_lateWritesGate) _lateWrites = _lateWrites.IsCompleted ? settled : Task.WhenAll(_lateWrites, settled);
    }

    private readonly object _lateWritesGate = new();

    /// <summary>Remembers a reply's sequence (read-your-writes); replies may complete out of order, the highest wins.</summary>
    public void Answered(long sequence)
    {
        var seen = Interlocked.Read(ref _answeredSequence);
        while (sequence > seen)
        {
            var was = Interlocked.CompareExchange(ref _answeredSequence, sequence, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    private static long _nextId;
    private readonly ConnectionContext? _connection;
    private readonly ILogger _logger;
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly SessionExpiry _expiry;
    private SessionScope? _scope;
    private SessionRegistry<Session>? _router;
    private int _aborted;
    private int _closing;

    public Session(ConnectionContext? connection, ServerApiOptions options, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        Id = Interlocked.Increment(ref _nextId);
        Remote = connection?.RemoteEndPoint?.ToString() ?? "local";
        Outbound = new OutboundQueue(options);
        _expiry = new SessionExpiry(this);
    }

    public long Id { get; }

    /// <summary>When the connection was accepted (the console's online-sessions list).</summary>
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    public string Remote { get; }

    public OutboundQueue Outbound { get; }

    /// <summary>The quote frames gathered for this session during one fan-out pass (the fan-out thread only).</summary>
    internal List<QuoteFrame> FanoutScratch { get; } = new();

    /// <summary>Who the connection's streams are for; null until a command carried a valid token.</summary>
    public SessionScope? Scope => Volatile.Read(ref _scope);

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Guards <see cref="Channels"/> and <see cref="SubscribedToAll"/>.</summary>
    public object SubscriptionGate => _channels;

    public HashSet<string> Channels => _channels;

    public bool SubscribedToAll { get; set; }

    /// <summary>Whether quotes reach this connection at all (a racy read, for the fan-out's pacing signal only).</summary>
    public bool SubscribesToQuotes => SubscribedToAll || _channels.Count > 0;

    private VerifiedToken? _verified;

    /// <summary>
    /// The identity of <paramref name="token"/> when it is the exact string this connection verified
    /// last: a signature does not change, so only the expiry is checked again (HS256 validation is
    /// ~100x the cost of the rest of a command). Only the dispatching command touches it.
    /// </summary>
    public SessionIdentity? VerifiedIdentity(string token, DateTimeOffset now)
    {
        var cached = Volatile.Read(ref _verified);
        if (cached is null || !string.Equals(cached.Token, token, StringComparison.Ordinal)) return null;
        return cached.Identity.ExpiresAt > now ? cached.Identity : null;
    }

    public void RememberVerified(string token, SessionIdentity identity) => Volatile.Write(ref _verified, new VerifiedToken(token, identity));

    /// <summary>
    /// Makes <paramref name="identity"/> (of the command just verified) the one the streams follow, and
    /// arms the connection's expiry at its <c>exp</c>. Cheap when nothing changed: the dispatcher calls it
    /// on every command.
    /// </summary>
    public void Adopt(SessionIdentity identity, TimeProvider time)
    {
        if (IsClosing) return;
        var current = Volatile.Read(ref _scope);
        if (current is null || current.Identity.Type != identity.Type || current.Identity.Id != identity.Id
            || current.Identity.GroupMask != identity.GroupMask || current.Identity.RegistrationSequence != identity.RegistrationSequence)
        {
            var scope = new SessionScope(identity);
            Volatile.Write(ref _scope, scope);
            _router?.Route(this, scope.Audience);
        }
        _expiry.Arm(identity.ExpiresAt, time);
    }

    /// <summary>Whether the connection is being closed because its access ended (no more pushes or adoptions).</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>
    /// Access ended (the latest token expired, the account was deleted): pushes stop at once, the client
    /// gets one unsolicited error frame (<c>extID</c> null) and the connection closes once that frame is written.
    /// </summary>
    public void EndAccess(int status, string error, string message)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0 || IsAborted) return;
        Volatile.Write(ref _scope, null);
        _router?.Route(this, null);
        _expiry.Dispose();
        _logger.LogInformation("Server API connection {Id} from {Remote} closed: {Error} ({Message})", Id, Remote, error, message);
        Send(FrameWriter.Error(null, status, error, message));
        // The writer drains what is queued (the error last) and ends; the read loop stops at its next read.
        Outbound.Complete();
        _connection?.Transport.Input.CancelPendingRead();
    }

    /// <summary>The registry took the session: events are routed to it by its identity from now on.</summary>
    internal void JoinRouter(SessionRegistry<Session> router)
    {
        _router = router;
        // Adopt may have run first (tests, benchmarks): route by what is already known.
        if (Scope is { } scope) router.Route(this, scope.Audience);
    }

    /// <summary>Releases the expiry timer; the registry calls it when the connection goes away.</summary>
    public void Release() => _expiry.Dispose();

    /// <summary>Queues a reply or event; a reader too far behind is disconnected rather than losing it.</summary>
    public void Send(byte[] frame) => Send(frame, null);

    /// <summary>
    /// Queues a reply and runs <paramref name="whileQueued"/> before the reply can be written, with nothing queued
    /// after it written before the reply (<see cref="OutboundQueue.EnqueueFrame(byte[], Action?)"/>).
    /// </summary>
    public void Send(byte[] frame, Action? whileQueued)
    {
        if (IsAborted) return;
        if (!Outbound.EnqueueFrame(frame, whileQueued) && Outbound.OverflowReason is { } reason) Abort(reason);
    }

    /// <summary>Queues several replies or events in order with one writer wake-up; same limit as <see cref="Send(byte[])"/>.</summary>
    public void Send(ReadOnlySpan<byte[]> frames)
    {
        if (IsAborted || frames.IsEmpty) return;
        if (!Outbound.EnqueueFrames(frames) && Outbound.OverflowReason is { } reason) Abort(reason);
    }

    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        _expiry.Dispose();
        _logger.LogWarning("Server API connection {Id} from {Remote} closed: {Reason}", Id, Remote, reason);
        Outbound.Complete();
        _connection?.Abort(new ConnectionAbortedException(reason));
    }
}

internal sealed record VerifiedToken(string Token, SessionIdentity Identity);

/// <summary>The visibility rules of one identity: users see their own account, managers their group mask.</summary>
internal sealed class SessionScope
{
    private readonly GroupMask _mask;

    public SessionScope(SessionIdentity identity)
    {
        Identity = identity;
        _mask = new GroupMask(identity.GroupMask);
        Audience = identity.IsAdmin ? Audience.Administrator(identity.Id)
            : identity.IsStaff ? Audience.Staff(identity.Id, identity.GroupMask, _mask.Matches)
            : identity.Type == SessionType.User ? Audience.Trader(identity.Id)
            : Audience.BroadcastsOnly(identity.Id);
    }

    public SessionIdentity Identity { get; }

    public bool IsUser => Identity.Type == SessionType.User;

    /// <summary>Whose events the router sends this session: the same rule as <see cref="CanSee"/>, as an index key.</summary>
    public Audience Audience { get; }

    /// <summary>Whether events of the account <paramref name="login"/> in <paramref name="group"/> may reach this session.</summary>
    public bool CanSee(long login, string? group)
    {
        if (Identity.IsAdmin) return true;
        if (Identity.IsStaff) return group is not null && _mask.Matches(group);
        return Identity.Type == SessionType.User && login == Identity.Id;
    }

    /// <summary>Whether a group's configuration is visible (staff within their mask).</summary>
    public bool CanSeeGroup(string group) => Identity.IsAdmin || (Identity.IsStaff && _mask.Matches(group));
}
