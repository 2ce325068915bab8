using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests.Infrastructure;

/// <summary>
/// One real <c>dealwire serve</c> for the end-to-end classes (one collection: they run one after another and may
/// trade on the same server), fixed prices, and integration keys issued by the real CLI before the start:
/// "all" (every group), "demo" (group demo, account 1000), "netting" (group demo-netting, account 1001) and
/// "stalled" (every group; the slow-reader test's). Pings every 3 s: the heartbeat test stays short, and a client busy
/// on the Server API for a while on a loaded CI machine is not dropped (3 missed Pongs = 9 s unread); the outbound bound is 128 KiB so a stalled reader is found without gigabytes of events.
/// </summary>
public sealed class TraderSocketFixture : IAsyncLifetime
{
    public const long HedgingLogin = 1000;
    public const long NettingLogin = 1001;
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(3);

    public DealwireProcess Server { get; private set; } = null!;
    public string AllKey { get; private set; } = "";
    public string DemoKey { get; private set; } = "";
    public string NettingKey { get; private set; } = "";
    public string StalledKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                AllKey = await IssueKeyAsync(server, "all", "*");
                DemoKey = await IssueKeyAsync(server, "demo", "demo");
                NettingKey = await IssueKeyAsync(server, "netting", "demo-netting");
                StalledKey = await IssueKeyAsync(server, "stalled", "*");
            },
        }.WithFixedPrices();
        options.Environment["DEALWIRE__TraderSocket__PingInterval"] = PingInterval.ToString();
        options.Environment["DEALWIRE__TraderSocket__MaxPendingReplyBytes"] = "131072";
        options.Environment["DEALWIRE__ServerApi__CommandsPerSecond"] = "100000";
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<TraderClient> TradingAsync() => TraderClient.ConnectAsync(Server.TraderTradingPort);

    public Task<TraderClient> PricesAsync() => TraderClient.ConnectAsync(Server.TraderPricesPort);

    public Task<ServerApiCaller> ServerApiAsync() => ServerApiCaller.ConnectAsync(Server);

    /// <summary><c>dealwire key issue --integration</c> prints the secret once on stdout.</summary>
    public static async Task<string> IssueKeyAsync(DealwireProcess server, string name, string groups)
    {
        var result = await DealwireCli.RunAsync("key", "issue", "--integration", name, "--groups", groups, "--data-dir", server.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        var secret = result.StandardOutput.Trim();
        Assert.StartsWith("dwi_", secret);
        return secret;
    }
}

[CollectionDefinition(Name)]
public sealed class TraderSocketCollection : ICollectionFixture<TraderSocketFixture>
{
    public const string Name = "trader socket server";
}
