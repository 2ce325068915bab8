using System.Globalization;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// One real <c>dealwire serve</c> process shared by the tests of a class: the embedded default (demo symbols,
/// groups "demo" / "demo-netting", accounts 1000 / 1001 with 10 000 USD) fed by <see cref="FixedPrices"/>, so
/// quotes, fills and profits are known in advance. Small line limit so the oversized-line case stays cheap.
/// </summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public const int MaxLineBytes = 4096;
    /// <summary>Unread replies and events a connection may hold before the server closes it.</summary>
    public const int MaxPendingReplyBytes = 256 * 1024;
    public const long HedgingLogin = 1000;
    public const long NettingLogin = 1001;

    public DealwireProcess Server { get; private set; } = null!;

    public string AdminToken => Server.AdminToken;

    public int Port => Server.ServerApiPort;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__ServerApi__MaxLineBytes"] = MaxLineBytes.ToString(CultureInfo.InvariantCulture);
        options.Environment["DEALWIRE__ServerApi__MaxPendingReplyBytes"] = MaxPendingReplyBytes.ToString(CultureInfo.InvariantCulture);
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Port);

    public string Issue(SessionType type, long id, string groups = "*", TimeSpan? lifetime = null, IEnumerable<string>? rights = null) =>
        Server.IssueToken(type, id, groups, lifetime, rights);
}

/// <summary>
/// The existing end-to-end classes share one <see cref="RealServerFixture"/> process instead of starting one per class
/// (a start costs seconds of CPU on a shared machine). Their tests use logins of their own, so they stay independent;
/// the collection runs them one after another. A class may still take <c>IClassFixture&lt;RealServerFixture&gt;</c> for a server of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealServerCollection : ICollectionFixture<RealServerFixture>
{
    public const string Name = "Server API real server";
}
