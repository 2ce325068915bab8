using System.Buffers;
using System.Text;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Defaults;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.Benchmarks.Gateway;

/// <summary>
/// The Server API's parse → token → rights → handler → reply path with the engine replaced by a stand-in that
/// answers at once (every position opens as ticket 77, on account 1000 of group "demo"), so what is measured is
/// the gateway's own share of a command. Everything runs synchronously on the calling thread. The same source file is
/// compiled into the Server API tests (linked in their project) for the allocation budget test.
/// </summary>
public sealed class InProcessGateway
{
    public const long Login = 1000;
    private readonly Dispatcher _dispatcher;
    private readonly Session _session;
    private readonly string _token;

    public InProcessGateway()
    {
        var tokens = new TokenService(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var options = new Dealwire.ServerApi.ServerApiOptions();
        // The demo defaults hold account 1000 in group "demo"; the view is seeded from them as the host seeds it.
        var engine = new TradingEngine();
        var sequence = 0L;
        foreach (var command in DemoDefaults.Commands())
        {
            command.Stamp(++sequence, 0);
            engine.Execute(command);
        }
        var mirror = new LiveView();
        mirror.Load(LiveSeed.From(engine));
        var server = new ServerApiContext(new EngineRunner(engine), tokens, TimeProvider.System, options,
            new SessionRegistry(), mirror, null, HistoryStores.Create(new HistoryOptions(), Directory.CreateTempSubdirectory("dealwire-gateway-history-").FullName), NullLoggerFactory.Instance, new OpensAtOnce());
        _dispatcher = new Dispatcher(server, CommandCatalog.Build());
        _session = new Session(null, options, NullLogger.Instance);
        _token = tokens.Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1 }, TimeSpan.FromDays(1), DateTimeOffset.UtcNow);
    }

    /// <summary>A request line as the load tool sends it (extID, then the token, as every vendor client does).</summary>
    public ReadOnlySequence<byte> Line(string command, string data, string extId = "1234567") => new(Encoding.UTF8.GetBytes(
        $$"""{"command":"{{command}}","data":{{data}},"extID":"{{extId}}","__token":"{{_token}}"}"""));

    /// <summary>Parses, dispatches and serializes one request; returns the reply frame.</summary>
    public byte[] Run(in ReadOnlySequence<byte> line)
    {
        using var envelope = Envelope.Parse(line, out _);
        var reply = _dispatcher.DispatchAsync(_session, envelope);
        if (!reply.IsCompletedSuccessfully) throw new InvalidOperationException("the stand-in engine answers at once");
        return reply.Result.Frame;
    }

    /// <summary>Parses one request and releases it (the envelope share of <see cref="Run"/>).</summary>
    public static int Parse(in ReadOnlySequence<byte> line)
    {
        using var envelope = Envelope.Parse(line, out _);
        return envelope.Command.Length;
    }

    private sealed class OpensAtOnce : IEngineCommands
    {
        private readonly Task<CommandResult<TradeRecord>> _opened = Task.FromResult(new CommandResult<TradeRecord>(ReturnCode.Ok, "",
            new TradeRecord { Ticket = 77, Login = Login, Symbol = "EURUSD", Digits = 5, Volume = 100, OpenPrice = 1.10000m, State = TradeState.OpenNormal }));

        public Task<CommandResult<T>> SubmitAsync<T>(EngineCommand<T> command) => command is OpenPosition
            ? (Task<CommandResult<T>>)(object)_opened
            : throw new NotSupportedException(command.GetType().Name);
    }
}
