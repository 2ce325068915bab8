using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// A real <c>dealwire serve</c> (embedded default, fixed prices) with something to attack in group <c>demo</c>:
/// account 1000 holds an open GBPUSD position, a pending order, a closed deal, a deposit and a credit. A manager
/// masked to <c>demo-netting</c> must not reach any of it; <see cref="FingerprintAsync"/> shows it was not touched.
/// </summary>
public sealed class RightsFixture : IAsyncLifetime
{
    /// <summary>Account of group "demo": outside the mask of the "demo-netting" manager.</summary>
    public const long Target = 1000;

    /// <summary>Account of group "demo-netting".</summary>
    public const long Netting = 1001;

    public DealwireProcess Server { get; private set; } = null!;
    public string Admin => Server.AdminToken;
    public long Position { get; private set; }
    public long Pending { get; private set; }
    public long Closed { get; private set; }
    public long BalanceRecord { get; private set; }
    public long CreditRecord { get; private set; }
    public long Customer { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await DealwireProcess.StartAsync(new DealwireProcessOptions().WithFixedPrices());
        await Server.WaitUntilPricedAsync();
        await using var c = await ConnectAsync();
        Position = Order(await c.CallAsync("MngOpenTradeSync", new { login = Target, cmd = 0, volume = 10, symbol = "GBPUSD", sl = 0, tp = 0 }, Admin));
        Closed = Order(await c.CallAsync("MngOpenTradeSync", new { login = Target, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, Admin));
        (await c.CallAsync("MngCloseTradeSync", new { login = Target, order = Closed }, Admin)).AssertOk();
        Pending = Order(await c.CallAsync("MngOpenPendingTrade", new { login = Target, cmd = 2, volume = 10, symbol = "EURUSD", open_price = 1.0 }, Admin));
        BalanceRecord = Order(await c.CallAsync("BalanceInSync", new { login = Target, amount = 10 }, Admin));
        CreditRecord = Order(await c.CallAsync("CreditInSync", new { login = Target, amount = 10, comment = "credit line" }, Admin));
        Customer = (await c.CallAsync("MngAddCustomer", new { first_name = "Rights", last_name = "Probe" }, Admin)).Data().GetProperty("customer_id").GetInt64();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(Server.ServerApiPort);

    public string Issue(SessionType type, long id, string groups, IEnumerable<string> rights) =>
        Server.IssueToken(type, id, groups, rights: rights);

    private static long Order(JsonElement reply)
    {
        reply.AssertOk();
        return reply.Data().GetProperty("order").GetInt64();
    }

    /// <summary>
    /// Everything a refused command could have changed, read by the admin: accounts with their money, every trade
    /// (open, pending, closed, finance), groups, symbol groups and symbol specifications (prices left out: they are
    /// fixed, but their times move). The engine's command counters are no use here: timer commands move them.
    /// </summary>
    public async Task<string> FingerprintAsync(LineClient admin)
    {
        var parts = new List<string>
        {
            (await Read(admin, "GetAccountsByGroup", new { group_mask = "*" })).GetRawText(),
            (await Read(admin, "MngGetTradesByFilter", new { groupFilter = "*", limit = 10_000, offset = 0, tradeType = 0 })).GetRawText(),
            (await Read(admin, "GetGroups", new { })).GetRawText(),
            (await Read(admin, "GetSymbolGroups", new { })).GetRawText(),
            WithoutPrices(await Read(admin, "GetSymbols", new { })),
            (await Read(admin, "MngGetCustomers", new { })).GetRawText(),
            (await Read(admin, "MngGetDesks", new { })).GetRawText(),
        };
        return string.Join("\n", parts);
    }

    private async Task<JsonElement> Read(LineClient admin, string command, object data)
    {
        var reply = await admin.CallAsync(command, data, Admin);
        reply.AssertOk();
        return reply.Data();
    }

    private static string WithoutPrices(JsonElement table)
    {
        var columns = table.GetProperty("structure").EnumerateArray().Select(c => c.GetString()).ToList();
        var kept = Enumerable.Range(0, columns.Count).Where(i => columns[i] is not ("bid" or "ask" or "tick_time")).ToList();
        return string.Join("\n", table.GetProperty("rows").EnumerateArray().Select(row => string.Join("|", kept.Select(i => row[i].GetRawText()))));
    }
}
