using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Dealwire.Gateway.Diagnostics;

/// <summary>
/// What every command of one protocol records: an activity (trace span) from its arrival to its reply, the
/// <c>dealwire_command_duration_seconds</c> histogram, and a logging scope carrying the connection, login and
/// command, so every log line written while the command runs says whose command it was. One instance per protocol.
/// </summary>
public sealed class CommandTelemetry(string protocol)
{
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
    /// Starts measuring one command; dispose the result when its reply is built. <paramref name="command"/> must be
    /// a known command name (it becomes a metric tag: a client's arbitrary string would grow the series without
    /// bound); <paramref name="login"/> is the account or manager the connection acts for, when known.
    /// </summary>
    public CommandScope Start(ILogger logger, string command, object connection, long? login)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(command, ActivityKind.Server) : null;
        if (activity is not null)
        {
            activity.SetTag("dealwire.protocol", protocol);
            activity.SetTag("dealwire.connection", connection);
            if (login is { } l) activity.SetTag("dealwire.login", l);
        }
        var scope = logger.BeginScope(new CommandLogState(connection, login, command));
        return new CommandScope(this, command, activity, scope, Stopwatch.GetTimestamp());
    }

    /// <summary>One command in flight. A struct so an untraced command allocates only its logging scope.</summary>
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
            GatewayMetrics.CommandDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds,
                GatewayMetrics.ProtocolTag(_owner.Protocol), new KeyValuePair<string, object?>("command", _command));
            _activity?.Dispose();
            _scope?.Dispose();
        }
    }

    /// <summary>The logging scope: formatters print it as <c>connection=… login=… command=…</c> or as JSON properties.</summary>
    private sealed class CommandLogState(object connection, long? login, string command) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("ConnectionId", connection),
            1 => new("Login", login),
            2 => new("Command", command),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"connection={connection} login={login?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} command={command}";
    }
}
