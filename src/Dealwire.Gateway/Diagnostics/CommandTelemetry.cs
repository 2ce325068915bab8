using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Dealwire.Gateway.Diagnostics;

/// <summary>
/// What every command of one protocol records: an activity (trace span) from its arrival to its reply, the
/// <c>dealwire_command_duration_seconds</c> histogram, and a logging scope carrying the connection, login and
/// command, so every log line written while the command runs says whose command it was. One instance per protocol.
/// </summary>
/// <remarks>
/// Runs on every command, so the untraced path allocates nothing: the activity exists only when a listener samples
/// the command, the logging scope only when the logger can write a line at all (every logging provider allocates a
/// scope), and the histogram takes its two tags as values (the protocol tag is made once).
/// </remarks>
public sealed class CommandTelemetry(string protocol)
{
    private readonly KeyValuePair<string, object?> _protocolTag = GatewayMetrics.ProtocolTag(protocol);

    /// <summary>The activity source of this protocol (<c>Dealwire.ServerApi</c>, <c>Dealwire.ManagerApi</c>).</summary>
    public ActivitySource Source { get; } = new(SourceName(protocol));

    public string Protocol => protocol;

    public static string SourceName(string protocol) => protocol switch
    {
        GatewayProtocol.ServerApi => "Dealwire.ServerApi",
        GatewayProtocol.ManagerApi => "Dealwire.ManagerApi",
        _ => "Dealwire." + protocol,
    };

    /// <summary>
    /// Starts measuring one command on a connection numbered <paramref name="connection"/>; dispose the result when
    /// its reply is built. <paramref name="command"/> must be a known command name (it becomes a metric tag: a
    /// client's arbitrary string would grow the series without bound); <paramref name="login"/> is the account or
    /// manager the connection acts for, when known.
    /// </summary>
    public CommandScope Start(ILogger logger, string command, long connection, long? login) =>
        Start(logger, command, new ConnectionRef(null, connection), login);

    /// <summary>As <see cref="Start(ILogger, string, long, long?)"/>, for a connection named by the transport.</summary>
    public CommandScope Start(ILogger logger, string command, string connection, long? login) =>
        Start(logger, command, new ConnectionRef(connection, 0), login);

    private CommandScope Start(ILogger logger, string command, ConnectionRef connection, long? login)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(command, ActivityKind.Server) : null;
        if (activity is not null)
        {
            activity.SetTag("dealwire.protocol", protocol);
            activity.SetTag("dealwire.connection", connection.Value);
            if (login is { } l) activity.SetTag("dealwire.login", l);
        }
        // A logger that writes nothing at Critical writes nothing at all: no line can need the scope.
        var scope = logger.IsEnabled(LogLevel.Critical) ? logger.BeginScope(new CommandLogState(connection, login, command)) : null;
        return new CommandScope(this, command, activity, scope, Stopwatch.GetTimestamp());
    }

    /// <summary>One command in flight. A struct, so an untraced, unlogged command allocates nothing.</summary>
    public readonly struct CommandScope : IDisposable
    {
        private readonly CommandTelemetry _owner;
        private readonly string _command;
        private readonly Activity? _activity;
        private readonly IDisposable? _scope;
        private readonly long _started;

        internal CommandScope(CommandTelemetry owner, string command, Activity? activity, IDisposable? scope, long started)
        {
            _owner = owner;
            _command = command;
            _activity = activity;
            _scope = scope;
            _started = started;
        }

        /// <summary>The command's span, or null when it is not sampled (or nobody listens).</summary>
        public Activity? Activity => _activity;

        public void Dispose()
        {
            if (_owner is null) return;
            var duration = GatewayMetrics.CommandDuration;
            if (duration.Enabled)
            {
                duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _owner._protocolTag, new KeyValuePair<string, object?>("command", _command));
            }
            _activity?.Dispose();
            _scope?.Dispose();
        }
    }

    /// <summary>A connection as the transport names it: a number (Server API) or a string (Kestrel's id), boxed only when read.</summary>
    private readonly record struct ConnectionRef(string? Name, long Number)
    {
        public object Value => Name ?? (object)Number;

        public override string ToString() => Name ?? Number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The logging scope: formatters print it as <c>connection=… login=… command=…</c> or as JSON properties.</summary>
    private sealed class CommandLogState(ConnectionRef connection, long? login, string command) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("ConnectionId", connection.Value),
            1 => new("Login", login),
            2 => new("Command", command),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"connection={connection} login={login?.ToString(CultureInfo.InvariantCulture) ?? "-"} command={command}";
    }
}
