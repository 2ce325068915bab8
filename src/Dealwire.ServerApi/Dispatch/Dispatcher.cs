using System.Collections.Concurrent;
using System.Text.Json;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.ServerApi.Diagnostics;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>
/// Runs one parsed request: command lookup → token → permission → handler, and turns the outcome
/// (reply or rejection) into the response line.
/// </summary>
internal sealed class Dispatcher(ServerApiContext server, CommandTable commands)
{
    private const int MaxPooledContexts = 1024;
    private readonly ILogger _logger = server.Loggers.CreateLogger("Dealwire.ServerApi.Dispatcher");
    private readonly ConcurrentQueue<CommandContext> _contexts = new();

    public CommandTable Commands => commands;

    /// <summary>A handled command's answer line: <c>{"extID":…,"status":…,(extra members),"data":…}</c>.</summary>
    internal static byte[] ReplyFrame(Envelope request, Reply reply) =>
        FrameWriter.Build((request, reply), static (w, s) =>
        {
            w.WriteStartObject();
            FrameWriter.WriteExtId(w, s.request);
            w.WriteNumber("status", s.reply.Status);
            s.reply.WriteExtra(w);
            w.WritePropertyName("data");
            s.reply.WriteData(w);
            w.WriteEndObject();
        });

    /// <summary>The reply line, and what must run once it is queued (see <see cref="CommandContext.AfterReply"/>).</summary>
    public async ValueTask<(byte[] Frame, Action? AfterReply)> DispatchAsync(Session session, Envelope request)
    {
        var found = commands.Find(request.Command);
        using var telemetry = ServerApiTelemetry.Commands.Start(_logger, found?.Name ?? "unknown", session.Id, session.Scope?.Identity.Id);
        SessionIdentity? caller = null;
        try
        {
            var spec = found ?? throw ProtocolException.InvalidData($"unknown command '{request.Command}'");

            SessionIdentity identity;
            if (spec.Access.IsPublic)
            {
                identity = new SessionIdentity { Type = SessionType.User, Id = 0 };
            }
            else
            {
                var now = server.Time.GetUtcNow();
                var cached = request.Token is { } token ? session.VerifiedIdentity(token, now) : null;
                if (cached is null)
                {
                    var validation = await server.Tokens.ValidateAsync(request.Token);
                    if (!validation.IsValid) throw new ProtocolException(401, ErrorNames.PermissionDenied, validation.Message);
                    identity = validation.Identity!;
                    session.RememberVerified(request.Token!, identity);
                }
                else
                {
                    identity = cached;
                }
                if (identity.Type == SessionType.User) await RequireCurrentAccountAsync(identity);
                // A manager's rights, mask and enable flag are read from its record at every command (mgr15).
                else if (server.ManagerKeys is { } managers) identity = managers.Current(identity) ?? throw ManagerDisabled(identity);
                // Streams follow the latest valid token, even if this command is then refused.
                session.Adopt(identity, server.Time);
                caller = identity;
                spec.Access.Check(identity, spec.Name);
            }

            var context = Rent(session, identity, spec.Name, request);
            try
            {
                var reply = await spec.Handler(context);
                return (ReplyFrame(request, reply), context.AfterReply);
            }
            finally
            {
                Return(context);
            }
        }
        catch (ProtocolException ex)
        {
            if (ex.Status is 401 or 403) AuditRecording.Refused(server, session, request.Command, caller, ex);
            return (FrameWriter.Error(request.ExtId, ex.Status, ex.Error, ex.Message), null);
        }
        catch (InvalidOperationException ex) when (ex.Source == "System.Text.Json")
        {
            return (FrameWriter.Error(request.ExtId, 400, ErrorNames.InvalidData, "invalid data: " + ex.Message), null);
        }
        catch (HistoryUnavailableException ex)
        {
            // Not a defect: the history store says why it cannot answer (the same reason /health shows).
            _logger.LogWarning("Server API command {Command}: {Reason}", request.Command, ex.Message);
            return (FrameWriter.Error(request.ExtId, 500, ErrorNames.TradeHistoryError, ex.Message), null);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Server API command {Command} failed", request.Command);
            return (FrameWriter.Error(request.ExtId, 500, "RET_ERROR", "internal error"), null);
        }
    }

    private CommandContext Rent(Session session, SessionIdentity identity, string command, Envelope request)
    {
        if (!_contexts.TryDequeue(out var context)) return new CommandContext(server, session, identity, command, new DataReader(request));
        context.Reset(server, session, identity, command, new DataReader(request));
        return context;
    }

    private void Return(CommandContext context)
    {
        context.Clear();
        if (_contexts.Count < MaxPooledContexts) _contexts.Enqueue(context);
    }

    private static ProtocolException ManagerDisabled(SessionIdentity identity) =>
        ProtocolException.NotEnoughRights($"manager {identity.Id} is disabled or deleted");

    /// <summary>
    /// A user token opens only the account instance it was issued for: a login deleted and created again
    /// has another registration sequence. One look-up in the live view per command.
    /// </summary>
    private async ValueTask RequireCurrentAccountAsync(SessionIdentity identity)
    {
        // A token carries the sequence that created its account: a view not there yet is waited for, not refused.
        var view = server.View;
        if (view.Sequence < identity.RegistrationSequence) await view.WaitForAsync(identity.RegistrationSequence);
        var current = view.RegistrationOf(identity.Id);
        if (current == identity.RegistrationSequence) return;
        throw new ProtocolException(401, ErrorNames.PermissionDenied, current is null
            ? $"account {identity.Id} does not exist; sign in again"
            : $"the token was issued for an earlier account with login {identity.Id}; sign in again");
    }
}
