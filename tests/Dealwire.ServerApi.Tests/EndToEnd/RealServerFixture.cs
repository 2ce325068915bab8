using System.Globalization;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// One real <c>dealwire serve</c> process shared by the tests of a class: the embedded default (demo symbols,
/// groups "demo" / "demo-netting", accounts 1000 / 1001 with 10 000 USD) fed by a replay of fixed prices, so
/// quotes, fills and profits are known in advance. Small line limit so the oversized-line case stays cheap.
/// </summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    /// <summary>The replayed prices: every symbol keeps one bid / ask, re-sent about ten times a second.</summary>
    public static readonly IReadOnlyDictionary<string, (string Bid, string Ask)> Prices = new Dictionary<string, (string, string)>
    {
        ["EURUSD"] = ("1.10000", "1.10010"),
        ["GBPUSD"] = ("1.27000", "1.27015"),
        ["USDJPY"] = ("151.500", "151.512"),
        ["XAUUSD"] = ("2350.00", "2350.30"),
        ["US500"] = ("5200.0", "5200.6"),
        ["BTCUSD"] = ("65000.00", "65020.00"),
    };

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
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__Feed__Kind"] = "Replay";
        options.Environment["DEALWIRE__ServerApi__MaxLineBytes"] = MaxLineBytes.ToString(CultureInfo.InvariantCulture);
        options.BeforeFirstStart = server =>
        {
            var file = Path.Combine(server.RootDir, "fixed-prices.csv");
            File.WriteAllText(file, ReplayTape());
            options.Environment["DEALWIRE__Feed__ReplayFile"] = file;
            return Task.CompletedTask;
        };
        options.Environment["DEALWIRE__ServerApi__MaxPendingReplyBytes"] = MaxPendingReplyBytes.ToString(CultureInfo.InvariantCulture);
        Server = await DealwireProcess.StartAsync(options);
        await WaitForEveryQuoteAsync();
    }

    /// <summary>Trades need a price: wait until the replay has delivered every symbol once.</summary>
    private async Task WaitForEveryQuoteAsync()
    {
        await using var c = await ConnectAsync();
        (await c.CallAsync("SubscribeAll", null, AdminToken)).AssertOk();
        var seen = new HashSet<string>();
        while (seen.Count < Prices.Count)
        {
            var line = await c.WaitForAsync(l => l.StartsWith("[\"t\"", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            seen.Add(Wire.Parse(line)[1].GetString()!);
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Port);

    public string Issue(SessionType type, long id, string groups = "*", TimeSpan? lifetime = null, IEnumerable<string>? rights = null) =>
        Server.IssueToken(type, id, groups, lifetime, rights);

    /// <summary>Two passes 100 ms apart per symbol (the replay loops it), prices never change.</summary>
    private static string ReplayTape()
    {
        var lines = new List<string> { "symbol,bid,ask,time_ms" };
        foreach (var time in new[] { 1_000, 1_100 })
        {
            lines.AddRange(Prices.Select(p => $"{p.Key},{p.Value.Bid},{p.Value.Ask},{time}"));
        }
        return string.Join('\n', lines) + "\n";
    }
}
