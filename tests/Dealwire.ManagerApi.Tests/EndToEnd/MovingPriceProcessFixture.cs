using System.Globalization;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// A real <c>dealwire serve</c> whose replay tape moves EURUSD, so pending orders activate: every second the
/// price sits at 1.10000 / 1.10010 for 900 ms, then dips to 1.09000 / 1.09010 for 100 ms (a 0.9 % move, inside
/// the spike filter's 3 %). A buy limit between the two asks is placed while the price is high and fills on
/// the next dip, at 1.09010. The other five symbols keep the fixed prices. One Manager API key, "admin" (every group).
/// </summary>
public sealed class MovingPriceProcessFixture : IAsyncLifetime
{
    public const long HedgingLogin = ManagerProcessFixture.HedgingLogin;
    public const long NettingLogin = ManagerProcessFixture.NettingLogin;
    public const decimal DipAsk = 1.09010m;

    public DealwireProcess Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions();
        options.BeforeFirstStart = async server =>
        {
            var tape = Path.Combine(server.RootDir, "moving-prices.csv");
            await File.WriteAllTextAsync(tape, Tape());
            options.Environment["DEALWIRE__Feed__ReplayFile"] = tape;
            AdminKey = await ManagerProcessFixture.IssueKeyAsync(server, "admin", "*");
        };
        options.Environment["DEALWIRE__Feed__Kind"] = "Replay";
        options.Environment["DEALWIRE__ManagerApi__HeartbeatTimeoutSeconds"] = "60";
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<ManagerClient> ConnectAsync() => ManagerClient.ConnectAsync(Server.ManagerApiPort);

    private static string Tape()
    {
        var lines = new List<string> { "symbol,bid,ask,time_ms" };
        lines.AddRange(FixedPrices.Quotes.Select(p => $"{p.Key},{p.Value.Bid},{p.Value.Ask},1000"));
        for (var step = 1; step < 10; step++)
        {
            var time = (1000 + step * 100).ToString(CultureInfo.InvariantCulture);
            lines.Add(step == 9 ? $"EURUSD,1.09000,{DipAsk.ToString(CultureInfo.InvariantCulture)},{time}" : $"EURUSD,1.10000,1.10010,{time}");
        }
        return string.Join('\n', lines) + "\n";
    }
}
