using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// One real <c>dealwire serve</c> process for the tests of a class, with three Manager API keys issued by the
/// real CLI before the first start (the server reads keys when it starts): "admin" (every group), "demo-desk"
/// (mask "demo", account 1000) and "netting-desk" (mask "demo-netting", account 1001). Prices are the fixed replay.
/// </summary>
public sealed class ManagerProcessFixture : IAsyncLifetime
{
    public const long HedgingLogin = 1000;
    public const long NettingLogin = 1001;

    public DealwireProcess Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string DemoKey { get; private set; } = "";
    public string NettingKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                AdminKey = await IssueKeyAsync(server, "admin", "*");
                DemoKey = await IssueKeyAsync(server, "demo-desk", "demo");
                NettingKey = await IssueKeyAsync(server, "netting-desk", "demo-netting");
            },
        }.WithFixedPrices();
        options.Environment["DEALWIRE__ManagerApi__HeartbeatTimeoutSeconds"] = "60";
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<ManagerClient> ConnectAsync() => ManagerClient.ConnectAsync(Server.ManagerApiPort);

    /// <summary>`dealwire key issue` prints the secret once on stdout.</summary>
    public static async Task<string> IssueKeyAsync(DealwireProcess server, string manager, string groups)
    {
        var result = await DealwireCli.RunAsync("key", "issue", "--manager", manager, "--groups", groups, "--data-dir", server.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        var secret = result.StandardOutput.Trim();
        Assert.False(string.IsNullOrEmpty(secret) || secret.Contains('\n', StringComparison.Ordinal), result.ToString());
        return secret;
    }
}

/// <summary>
/// The existing Manager API end-to-end classes share one <see cref="ManagerProcessFixture"/> process (and its three CLI
/// key issues) instead of one per class. Their tests use accounts and key names of their own; the collection runs them
/// one after another. A class may still take <c>IClassFixture&lt;ManagerProcessFixture&gt;</c> for a server of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ManagerProcessCollection : ICollectionFixture<ManagerProcessFixture>
{
    public const string Name = "Manager API real server";
}
