using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel;
using Dealwire.ReadModel.History;
using Dealwire.ReadModel.Live;
using Dealwire.ReadModel.Stream;
using Dealwire.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dealwire.ManagerApi.Tests.Infrastructure;

/// <summary>
/// The Manager API hosted in-process the way the dealwire host does it: Kestrel on 127.0.0.1 port 0,
/// the real EngineRunner + TradingEngine, a ManagerKeyStore in a temp directory. Two managers: one
/// sees the "demo*" groups, the other the "real*" groups; an admin sees everything.
/// </summary>
public sealed class ManagerApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    public EngineRunner Runner { get; }
    /// <summary>The host's services (the hub, for tests that hand it a batch directly).</summary>
    public IServiceProvider Services => _app.Services;
    public int Port { get; }
    public string AdminKey { get; }
    public string DemoKey { get; }
    public string RealKey { get; }

    private ManagerApiServer(WebApplication app, string dataDir, EngineRunner runner, int port, string admin, string demo, string real)
    {
        _app = app;
        _dataDir = dataDir;
        Runner = runner;
        Port = port;
        AdminKey = admin;
        DemoKey = demo;
        RealKey = real;
    }

    /// <param name="wrapHistory">Wraps the history reader the gateway gets (a test that makes the store fail).</param>
    public static async Task<ManagerApiServer> StartAsync(Dictionary<string, string?>? settings = null, Func<IHistoryReader, IHistoryReader>? wrapHistory = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "dw-mgrapi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var keys = new ManagerKeyStore(dataDir);
        var now = DateTimeOffset.UtcNow;
        var admin = keys.Issue("admin", "*", now);
        var demo = keys.Issue("demo-desk", "demo*", now);
        var real = keys.Issue("real-desk", "real*", now);

        var engine = new TradingEngine();
        var runner = new EngineRunner(engine);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?> { ["ManagerApi:Port"] = "0" };
        foreach (var (k, v) in settings ?? []) config["ManagerApi:" + k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        // History reads come from a real SQLite history store fed by the committed stream, as in the server.
        var stream = new CommittedStream(0);
        runner.AddCommittedSink(stream);
        var history = HistoryPipeline.Start(HistoryStores.Create(new HistoryOptions(), dataDir), stream);
        builder.Services.AddSingleton(history);
        builder.Services.AddSingleton(wrapHistory?.Invoke(history.Reader) ?? history.Reader);
        builder.Services.AddSingleton(runner);
        builder.Services.AddReadModel(_ => engine.LastSequence);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddManagerApi(builder.Configuration.GetSection("ManagerApi"));
        builder.WebHost.ConfigureKestrel(k => k.ListenManagerApi());
        var app = builder.Build();
        // As the host does: every registered sink is added before the runner starts.
        foreach (var sink in app.Services.GetServices<IQuoteSink>()) runner.AddQuoteSink(sink);
        app.Services.AttachReadModel(runner);
        runner.Start();
        await app.Services.StartLiveViewAsync(runner);
        await SetupAsync(runner);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new ManagerApiServer(app, dataDir, runner, port, admin, demo, real);
    }

    /// <summary>Symbols, groups and first prices: a small broker.</summary>
    private static async Task SetupAsync(EngineRunner runner)
    {
        await Ok(runner, new UpsertSymbolGroup(new SymbolGroupConfig { Index = 0, Name = "Forex" }));
        await Ok(runner, new UpsertSymbolGroup(new SymbolGroupConfig { Index = 1, Name = "Metals" }));
        await Ok(runner, new UpsertSymbol(new SymbolConfig
        {
            Name = "EURUSD", Description = "Euro vs US Dollar", SecurityIndex = 0, Digits = 5, ContractSize = 100_000,
            BaseCurrency = "EUR", ProfitCurrency = "USD",
        }));
        await Ok(runner, new UpsertSymbol(new SymbolConfig
        {
            Name = "XAUUSD", SecurityIndex = 1, Digits = 2, ContractSize = 100, BaseCurrency = "XAU", ProfitCurrency = "USD",
            ProfitMode = ProfitCalcMode.Cfd, MarginMode = MarginCalcMode.CfdLeverage,
        }));
        await Ok(runner, new UpsertGroup(new GroupConfig { Name = "demo", Currency = "USD", DefaultLeverage = 100 }));
        await Ok(runner, new UpsertGroup(new GroupConfig
        {
            Name = "real-eur", Currency = "USD", DefaultLeverage = 50, Accounting = PositionAccounting.Netting,
            Securities = [new GroupSecurity { SecurityIndex = 0, LotMin = 1, LotMax = 5000, Commission = 3.5m }],
            SymbolOverrides = [new GroupSymbolOverride { Symbol = "EURUSD", BidMarkup = -2, AskMarkup = 3 }], // bid down 2 points, ask up 3
        }));
        await Tick(runner, "EURUSD", 1.10000m, 1.10002m);
        await Tick(runner, "XAUUSD", 2000.00m, 2000.50m);
    }

    public static async Task<T> Ok<T>(EngineRunner runner, EngineCommand<T> command) => (await Applied(runner, command)).Value!;

    private static async Task<CommandResult<T>> Applied<T>(EngineRunner runner, EngineCommand<T> command)
    {
        var result = await runner.SubmitAsync(command);
        Assert.True(result.IsOk, $"{command.GetType().Name}: {result.Code} {result.Message}");
        return result;
    }

    /// <summary>
    /// Applies a command straight to the engine and waits until the live view has it: the Manager API reads that view,
    /// and a request sent right after (on a connection that did not send the command) must find its effect.
    /// </summary>
    public async Task<T> Ok<T>(EngineCommand<T> command)
    {
        var result = await Applied(Runner, command);
        await _app.Services.GetRequiredService<ILiveView>().WaitForAsync(result.Sequence).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return result.Value!;
    }

    public static Task Tick(EngineRunner runner, string symbol, decimal bid, decimal ask) =>
        Ok(runner, new ApplyTick(symbol, bid, ask, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public Task Tick(string symbol, decimal bid, decimal ask) => Tick(Runner, symbol, bid, ask);

    /// <summary>A tick the way feeds send them (quote sinks see only these), applied before this returns.</summary>
    public async Task FeedTick(string symbol, decimal bid, decimal ask)
    {
        Assert.True(Runner.TryPostTick(new ApplyTick(symbol, bid, ask, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        await Runner.QueryAsync(r => r.LastSequence);
    }

    /// <summary>Creates an account with a deposit and returns its login.</summary>
    public async Task<long> AccountAsync(string group, decimal deposit, bool enabled = true)
    {
        var account = await Ok(new CreateAccount(new AccountProfile { Group = group, Name = "Trader", Enabled = enabled }) { InitialDeposit = deposit });
        return account.Profile.Login;
    }

    public Task<ManagerClient> ConnectAsync() => ManagerClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        var history = _app.Services.GetRequiredService<HistoryPipeline>();
        await _app.DisposeAsync();
        await Runner.StopAsync();
        await history.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, true);
        }
        catch (IOException)
        {
        }
    }
}
