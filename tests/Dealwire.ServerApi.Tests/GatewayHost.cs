using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Dealwire.Security;
using Dealwire.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// The Server API hosted in-process the way the dealwire host wires it (Kestrel on 127.0.0.1 port 0,
/// the real EngineRunner + TradingEngine, TokenService), with a small broker set-up: groups "demo"
/// (raw prices) and "vip" (2-point markup on EURUSD), EURUSD / GBPUSD / XAUUSD, one funded account each.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private WebApplication _app = null!;
    private HistoryPipeline? _history;
    private string? _historyDir;
    private TimeProvider _time = TimeProvider.System;
    private Func<IHistoryReader, IHistoryReader>? _wrapHistory;

    public int Port { get; private set; }
    public EngineRunner Runner { get; private set; } = null!;
    public TokenService Tokens { get; private set; } = null!;
    public long DemoLogin { get; private set; }
    public long VipLogin { get; private set; }
    public string AdminToken { get; private set; } = "";
    /// <summary>A manager limited to the "demo*" groups.</summary>
    public string DemoManagerToken { get; private set; } = "";
    public string DemoUserToken { get; private set; } = "";
    public string VipUserToken { get; private set; } = "";
    public IServiceProvider Services => _app.Services;

    /// <param name="time">The gateway's clock (token validation, session expiry, deadlines); the system clock unless a test moves its own.</param>
    /// <param name="wrapHistory">Wraps the history reader the gateway gets (a test that makes the store fail).</param>
    public static async Task<GatewayHost> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null,
        Func<IHistoryReader, IHistoryReader>? wrapHistory = null)
    {
        var host = new GatewayHost();
        host._time = time ?? TimeProvider.System;
        host._wrapHistory = wrapHistory;
        host.Tokens = new TokenService(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray(), host._time);
        await host.InitAsync(settings ?? new());
        return host;
    }

    private async Task InitAsync(Dictionary<string, string?> settings)
    {
        settings.TryAdd("ServerApi:Port", "0");
        settings.TryAdd("ServerApi:Address", "127.0.0.1");
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var engine = new TradingEngine();
        Runner = new EngineRunner(engine);
        // History reads come from a real SQLite history store fed by the committed stream, as in the server.
        var stream = new CommittedStream(0);
        Runner.AddCommittedSink(stream);
        _historyDir = Path.Combine(Path.GetTempPath(), "dealwire-gw-history-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_historyDir);
        _history = HistoryPipeline.Start(HistoryStores.Create(new HistoryOptions(), _historyDir), stream);
        builder.Services.AddSingleton(_wrapHistory?.Invoke(_history.Reader) ?? _history.Reader);
        builder.Services.AddSingleton((IAuditLogReader)_history.Store);
        builder.Services.AddSingleton(Runner);
        builder.Services.AddReadModel(_ => engine.LastSequence);
        builder.Services.AddSingleton(Tokens);
        builder.Services.AddSingleton(_time);
        builder.Services.AddServerApi(config);
        builder.WebHost.ConfigureKestrel(k => k.ListenServerApi());
        _app = builder.Build();
        foreach (var sink in _app.Services.GetServices<IQuoteSink>()) Runner.AddQuoteSink(sink);
        _app.Services.AttachReadModel(Runner);
        Runner.Start();
        await _app.Services.StartLiveViewAsync(Runner);
        await _app.StartAsync();
        Port = _app.Services.GetRequiredService<ServerApiEndpoint>().BoundEndPoint!.Port;

        await Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 0, Name = "Forex" }));
        await Ok(new UpsertSymbolGroup(new SymbolGroupConfig { Index = 1, Name = "Metals" }));
        await Ok(new UpsertSymbol(new SymbolConfig { Name = "EURUSD", Digits = 5, BaseCurrency = "EUR", ProfitCurrency = "USD" }));
        await Ok(new UpsertSymbol(new SymbolConfig { Name = "GBPUSD", Digits = 5, BaseCurrency = "GBP", ProfitCurrency = "USD" }));
        await Ok(new UpsertSymbol(new SymbolConfig
        {
            Name = "XAUUSD", SecurityIndex = 1, Digits = 2, ContractSize = 100, BaseCurrency = "XAU", ProfitCurrency = "USD",
            ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.Cfd,
        }));
        await Ok(new UpsertGroup(new GroupConfig { Name = "demo", DefaultLeverage = 100 }));
        await Ok(new UpsertGroup(new GroupConfig
        {
            Name = "vip", DefaultLeverage = 100,
            // A widened group: a bid markup is added to the bid, so −1 lowers it one point.
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", BidMarkup = -1, AskMarkup = 1 }],
        }));
        await TickAsync("EURUSD", 1.10000m, 1.10002m);
        await TickAsync("GBPUSD", 1.25000m, 1.25003m);
        await TickAsync("XAUUSD", 2000.00m, 2000.50m);
        DemoLogin = (await Ok(new CreateAccount(new AccountProfile { Group = "demo", Name = "Demo" }) { InitialDeposit = 10_000m })).Profile.Login;
        VipLogin = (await Ok(new CreateAccount(new AccountProfile { Group = "vip", Name = "Vip" }) { InitialDeposit = 10_000m })).Profile.Login;

        AdminToken = Issue(SessionType.Admin, 1);
        DemoManagerToken = Issue(SessionType.Manager, 7, "demo*", Rights.ManagerDefault);
        DemoUserToken = Issue(SessionType.User, DemoLogin, "demo");
        VipUserToken = Issue(SessionType.User, VipLogin, "vip");
    }

    /// <summary>A token for this gateway; a user token is bound to the account instance now holding the login (as AuthUser does).</summary>
    public string Issue(SessionType type, long id, string groups = "*", IEnumerable<string>? rights = null, TimeSpan? lifetime = null)
    {
        var registration = type == SessionType.User
            ? Runner.QueryAsync(r => r.GetAccount(id)?.Profile.RegistrationSequence ?? 0).GetAwaiter().GetResult()
            : 0;
        return Tokens.Issue(new SessionIdentity
        {
            Type = type, Id = id, Name = $"{type}-{id}", GroupMask = groups, Rights = (rights ?? []).ToHashSet(), RegistrationSequence = registration,
        }, lifetime ?? TimeSpan.FromHours(1), _time.GetUtcNow());
    }

    /// <summary>
    /// Runs a command straight on the engine and returns once the gateway's live view has applied it: the gateway reads
    /// from the view, which follows the committed stream a moment behind the engine, so a connection's next command
    /// (which has no write of its own to wait for) would otherwise race it ("account … not found" under load).
    /// </summary>
    public async Task<T> Ok<T>(EngineCommand<T> command)
    {
        var result = await Runner.SubmitAsync(command);
        Assert.True(result.IsOk, $"{command.GetType().Name}: {result.Code} {result.Message}");
        await Services.GetRequiredService<ILiveView>().WaitForAsync(command.Sequence);
        return result.Value!;
    }

    private long _tickTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Applies a tick and returns its time (Unix ms).</summary>
    public async Task<long> TickAsync(string symbol, decimal bid, decimal ask)
    {
        var time = Interlocked.Increment(ref _tickTime);
        // Feeds post ticks (only posted ticks reach the quote sinks); the query after it is a barrier.
        Assert.True(Runner.TryPostTick(new ApplyTick(symbol, bid, ask, time)));
        await Runner.QueryAsync(r => r.GetQuote(symbol));
        return time;
    }

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await Runner.StopAsync();
        await _app.DisposeAsync();
        if (_history is not null) await _history.DisposeAsync();
        try
        {
            if (_historyDir is not null) Directory.Delete(_historyDir, true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One shared gateway for the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await GatewayHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Request / reply helpers over a <see cref="LineClient"/>.</summary>
public static class Wire
{
    private static long _next;

    public static string Request(string command, object? data, string token, string? extId = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["command"] = command,
            ["data"] = data ?? new { },
            ["extID"] = extId ?? NextId(),
            ["__token"] = token,
        });

    public static string NextId() => "x" + Interlocked.Increment(ref _next).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends a command and returns its reply (pushes in between are skipped).</summary>
    public static async Task<JsonElement> CallAsync(this LineClient client, string command, object? data, string token)
    {
        var id = NextId();
        await client.SendAsync(Request(command, data, token, id));
        return await client.ReplyAsync(id);
    }

    public static async Task<JsonElement> ReplyAsync(this LineClient client, string extId, List<string>? skipped = null)
    {
        var line = await client.WaitForAsync(l => l.StartsWith('{') && Parse(l).TryGetProperty("extID", out var x)
            && x.ValueKind == JsonValueKind.String && x.GetString() == extId, skipped: skipped);
        return Parse(line);
    }

    /// <summary>
    /// The next reply (an object carrying <c>extID</c>), skipping pushes: quote and notify arrays, and event objects. A staff
    /// connection gets events of every account once it has an identity, e.g. floating figures of positions other tests opened on a shared server.
    /// </summary>
    public static async Task<string> NextReplyLineAsync(this LineClient client, List<string>? skipped = null) =>
        await client.WaitForAsync(l => l.StartsWith('{') && Parse(l).TryGetProperty("extID", out _), skipped: skipped);

    public static JsonElement Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    public static int Status(this JsonElement reply) => reply.GetProperty("status").GetInt32();

    public static string Error(this JsonElement reply) => reply.GetProperty("error").GetString()!;

    public static JsonElement Data(this JsonElement reply) => reply.GetProperty("data");

    public static void AssertOk(this JsonElement reply) =>
        Assert.True(reply.Status() == 200, "expected 200, got " + reply.GetRawText());

    public static void AssertError(this JsonElement reply, int status, string error)
    {
        Assert.True(reply.Status() == status && reply.Error() == error, $"expected {status} {error}, got {reply.GetRawText()}");
        Assert.False(string.IsNullOrEmpty(reply.GetProperty("message").GetString()));
    }
}
