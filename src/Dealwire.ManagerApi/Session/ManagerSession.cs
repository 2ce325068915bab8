using Dealwire.Engine.Model;
using Dealwire.Gateway.Outbound;
using Dealwire.Gateway.Sessions;
using Dealwire.ManagerApi.Diagnostics;
using Dealwire.ManagerApi.Handlers;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Wire;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Session;

/// <summary>
/// One Manager API connection after framing: authentication, the layout it speaks, what it may see
/// (its key's group mask) and what it subscribed to. Requests run concurrently (see ManagerSession.Requests.cs);
/// their replies leave in request order.
/// </summary>
public sealed partial class ManagerSession
{
    /// <summary>Requests tolerated before a successful auth_request; more is a flood and closes the connection.</summary>
    public const int MaxUnauthenticatedRequests = 32;

    private readonly ManagerApiContext _context;
    private int _authFailures;
    private int _unauthenticatedRequests;

    public ManagerSession(ManagerApiContext context, OutboundQueue outbound, string connectionId)
    {
        _context = context;
        Outbound = outbound;
        ReplyOrder = new ReplySequencer(outbound);
        ConnectionId = connectionId;
        ConnectedAt = context.Time.GetUtcNow();
    }

    /// <summary>When the connection was accepted (the console's online-sessions list).</summary>
    public DateTimeOffset ConnectedAt { get; }

    public ManagerApiContext Context => _context;

    /// <summary>What waits to be written to this connection (replies, events, conflated prices).</summary>
    public OutboundQueue Outbound { get; }

    /// <summary>Releases the replies of concurrent requests in request order.</summary>
    public ReplySequencer ReplyOrder { get; }

    public string ConnectionId { get; }

    /// <summary>The client's address ("ip:port"), the source of this connection's audit rows.</summary>
    public string Remote { get; init; } = "local";

    /// <summary>The layout of this connection; null until authenticated.</summary>
    public WireDialect? Dialect { get; private set; }

    public ManagerKey? Key
    {
        get => Volatile.Read(ref _key);
        private set => Volatile.Write(ref _key, value);
    }

    private ManagerKey? _key;

    public string? ManagerName => Key?.Name;

    public string SessionId { get; private set; } = "";

    /// <summary>Groups whose accounts this manager sees; nothing before authentication. Replaced whole when the key's mask changes.</summary>
    public GroupMask Mask
    {
        get => Volatile.Read(ref _mask);
        private set => Volatile.Write(ref _mask, value);
    }

    private GroupMask _mask = new("!*");

    public bool IsAuthenticated => Dialect is not null;

    /// <summary>Set when the session decides to drop the connection (auth failures, flood, key withdrawn).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>
    /// The key this session authenticated with was re-issued or revoked: the client is told
    /// (<c>{"error":"unauthorized"}</c>, <c>message_response_id</c> null), nothing more is queued, and the
    /// connection closes once that frame is written.
    /// </summary>
    public void EndAccess(string reason)
    {
        if (CloseReason is not null && Outbound.IsCompleted) return;
        CloseReason = reason;
        _context.Logger.LogWarning("Manager API connection {Id} ({Manager}) closed: {Reason}", ConnectionId, ManagerName, reason);
        _context.Hub.Route(this, null);
        // Straight to the queue, ahead of replies still held for order: access is over.
        Outbound.EnqueueFrame(Frames.SystemError(null, ManagerErrors.Unauthorized));
        Outbound.Complete();
    }

    /// <summary>The key's group mask changed (same secret): what this session sees changes with it, at once.</summary>
    public void ApplyKey(ManagerKey key)
    {
        var previous = Key;
        Mask = new GroupMask(key.GroupMask);
        Key = key;
        _context.Hub.Route(this, Audience);
        _context.Logger.LogInformation("Manager API connection {Id} ({Manager}): group mask changed from {Old} to {New}",
            ConnectionId, key.Name, previous?.GroupMask, key.GroupMask);
    }

    /// <summary>The audit actor of commands this manager submits.</summary>
    public string Actor => "manager:" + (Key?.ManagerId ?? 0);

    /// <summary>Whose events the hub routes here: the key's group mask (every manager is staff).</summary>
    internal Audience Audience
    {
        get
        {
            var mask = Mask;
            return Audience.Staff(Key?.ManagerId ?? 0, mask.Text, mask.Matches);
        }
    }

    /// <summary>
    /// Queues a reply or event. Inside a concurrent request the reply goes through its slot, so it leaves
    /// after the replies of earlier requests; everything else (events, requests that run alone) goes straight on.
    /// </summary>
    public void Send(byte[] frame)
    {
        if (CurrentSlot.Value is { } slot && ReferenceEquals(slot.Sequencer, ReplyOrder)) slot.Send(frame);
        else Outbound.EnqueueFrame(frame);
    }

    public bool Sees(string group) => Mask.Matches(group);

    public void RejectOversizedLine() =>
        Send(Frames.SystemError(null, ManagerErrors.InvalidMessageFormat));

    /// <summary>Answers one request; the caller owns (and disposes) the message and the bytes it was parsed from.</summary>
    public async Task HandleAsync(InboundMessage message)
    {
        switch (message.Kind)
        {
            case InboundKind.Ping:
                Send(Frames.Pong(message.MessageId, message.PascalCase));
                return;
            case InboundKind.Pong:
                return; // heartbeat traffic; the read itself reset the timer
            case InboundKind.Invalid:
                // Not an envelope: nothing in it can be trusted, including an id (message_response_id null).
                Send(Frames.SystemError(null, ManagerErrors.InvalidMessageFormat));
                _context.Faults.Report("manager-api/" + ConnectionId, null, message.Fault ?? "not an envelope");
                return;
        }

        if (message.Name == "auth_request")
        {
            Authenticate(message);
            return;
        }
        if (Dialect is not { } dialect)
        {
            Send(Frames.SystemError(message.MessageId, ManagerErrors.Unauthorized));
            if (++_unauthenticatedRequests > MaxUnauthenticatedRequests) CloseReason = "too many requests before auth_request";
            return;
        }
        if (!RequestHandlers.TryFind(message.Name, dialect, out var entry))
        {
            Send(Frames.SystemError(message.MessageId, ManagerErrors.InvalidMessageFormat));
            return;
        }
        using var telemetry = ManagerApiTelemetry.Commands.Start(_context.Logger, message.Name, ConnectionId, Key?.ManagerId);
        try
        {
            var request = new Request(message.MessageId, message.Name, message.Body, dialect);
            await entry.Handle(this, request);
        }
        catch (RequestRejectedException rejected)
        {
            Send(Replies.Error(dialect, message.MessageId, entry.Kind, rejected.Code));
        }
        catch (HistoryUnavailableException unavailable)
        {
            // The history database is down or its projector stopped: a downstream failure, not a defect (the reason is
            // in /health); the protocol's code for it is network_error.
            _context.Logger.LogWarning("Manager API request {Name}: {Reason}", message.Name, unavailable.Message);
            Send(Replies.Error(dialect, message.MessageId, entry.Kind, ManagerErrors.NetworkError));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _context.Logger.LogError(ex, "Manager API request {Name} failed", message.Name);
            Send(Replies.Error(dialect, message.MessageId, entry.Kind, ManagerErrors.Unexpected));
        }
    }

    private void Authenticate(InboundMessage message)
    {
        Request request;
        try
        {
            request = new Request(message.MessageId, message.Name, message.Body, WireDialect.Seed);
        }
        catch (RequestRejectedException)
        {
            Send(Frames.SystemError(message.MessageId, ManagerErrors.InvalidMessageFormat));
            return;
        }

        // The layout is fixed by the first auth_request (or the listener) and never changes afterwards.
        var badRepresentation = false;
        var wanted = Dialect ?? ChooseDialect(request, out badRepresentation);
        if (badRepresentation)
        {
            Send(Replies.Error(wanted, message.MessageId, Replies.Auth, ManagerErrors.InvalidMessageFormat));
            return;
        }

        string? secret = null;
        if (request.Field("secret_key") is { ValueKind: System.Text.Json.JsonValueKind.String } s) secret = s.GetString();
        var key = _context.Keys.Find(secret);
        if (key is null || (Key is not null && key.ManagerId != Key.ManagerId))
        {
            Send(Replies.Error(wanted, message.MessageId, Replies.Auth, ManagerErrors.AuthFailed));
            if (++_authFailures >= _context.Options.MaxAuthFailures) CloseReason = "too many failed auth_request";
            _context.Logger.LogWarning("Manager API auth failed on connection {Id}", ConnectionId);
            RecordAuth(key is null ? "manager:0" : $"manager:{key.ManagerId}", false,
                key is null ? "auth_request refused: unknown key" : "auth_request refused: another manager's key on an authenticated connection");
            return;
        }

        if (Dialect is null)
        {
            Key = key;
            Mask = new GroupMask(key.GroupMask);
            SessionId = Guid.NewGuid().ToString();
            Dialect = wanted;
            _context.Hub.Route(this, Audience);
            _context.Logger.LogInformation("Manager API connection {Id}: {Manager} authenticated ({Layout}, mask {Mask})",
                ConnectionId, key.Name, wanted.Layout, key.GroupMask);
            RecordAuth($"manager:{key.ManagerId}", true, $"{key.Name} signed in (Manager API, mask {key.GroupMask})");
        }
        Send(Replies.Single(wanted, message.MessageId, Replies.Auth, SessionId, static (w, _, id) =>
        {
            w.WriteStartObject();
            w.WriteString("session_id", id);
            w.WriteEndObject();
        }));
    }

    private void RecordAuth(string actor, bool granted, string detail) =>
        _context.Audit?.Record(new ReadModel.History.AuditEvent(_context.Time.GetUtcNow().ToUnixTimeMilliseconds(), actor,
            ReadModel.History.AuditActions.AuthManager, granted ? ReadModel.History.AuditStatus.Success : ReadModel.History.AuditStatus.Error, Remote, detail));

    private WireDialect ChooseDialect(Request request, out bool badRepresentation)
    {
        badRepresentation = false;
        var representation = request.Field("id_representation");
        IdRepresentation ids = IdRepresentation.UuidOnly;
        if (representation is { } r)
        {
            var text = r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString() : null;
            if (text == "num_id_preferred") ids = IdRepresentation.NumIdPreferred;
            else if (text != "uuid_only") badRepresentation = true;
        }
        return _context.Options.Layout switch
        {
            LayoutMode.Seed => WireDialect.Seed,
            LayoutMode.Newer => WireDialect.Newer(ids),
            _ => representation is null ? WireDialect.Seed : WireDialect.Newer(ids),
        };
    }
}
