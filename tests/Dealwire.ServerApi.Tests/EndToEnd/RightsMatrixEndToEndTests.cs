using System.Text.Json;
using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #11 item 1 against the real process: every registered command (enumerated from the command table, so a
/// command added later is walked too) is sent (a) with a staff token lacking its right and (b) by a manager masked
/// to <c>demo-netting</c> at a target in group <c>demo</c>; each is refused and leaves the server unchanged.
/// </summary>
[Trait("Category", "Slow")] // every command twice against a server process of its own
public sealed class RightsMatrixEndToEndTests(RightsFixture f) : IClassFixture<RightsFixture>
{
    private const long Target = RightsFixture.Target;
    private const string OutsideMask = "demo-netting";

    private static readonly CommandTable Table = CommandCatalog.Build();

    /// <summary>
    /// One request per command, aimed at account 1000 (group "demo") or what it owns, valid enough that the command
    /// would change the server if the check in front of it were missing.
    /// </summary>
    private Dictionary<string, object> Samples() => new(StringComparer.Ordinal)
    {
        ["AuthUser"] = new { login = Target, password = "secret1" },
        ["SSOAuthUser"] = new { login = Target },
        ["Subscribe"] = new { chanels = new[] { "EURUSD" } },
        ["Unsubscribe"] = new { chanels = new[] { "EURUSD" } },
        ["SubscribeAll"] = new { },
        ["UnsubscribeAll"] = new { },
        ["MngAddAccount"] = NewAccount,
        ["AddUser"] = NewAccount,
        ["MngUpdateAccount"] = AccountEdit,
        ["UpdateUser"] = AccountEdit,
        ["MngDeleteAccount"] = new { login = Target },
        ["DeleteUser"] = new { login = Target },
        ["DeleteUsersList"] = new { logins = new[] { Target } },
        ["GetAccountByLogin"] = new { login = Target },
        ["GetAccountsByGroup"] = new { group_mask = "*" },
        ["GetUsers"] = new { },
        ["GetUsersByFilter"] = new { groupFilter = "*", limit = 100, offset = 0 },
        ["GetUserBalanceList"] = new { logins = new[] { Target, RightsFixture.Netting } },
        ["BalanceIn"] = new { login = Target, amount = 100 },
        ["BalanceInSync"] = new { login = Target, amount = 100 },
        ["BalanceOut"] = new { login = Target, amount = -100 },
        ["BalanceOutSync"] = new { login = Target, amount = -100 },
        ["CreditIn"] = new { login = Target, amount = 100, comment = "probe" },
        ["CreditInSync"] = new { login = Target, amount = 100, comment = "probe" },
        ["CreditOut"] = new { login = Target, amount = -5, comment = "probe" },
        ["CreditOutSync"] = new { login = Target, amount = -5, comment = "probe" },
        ["DeleteBalance"] = new { order = f.BalanceRecord },
        ["DeleteBalanceSync"] = new { order = f.BalanceRecord },
        ["DeleteCredit"] = new { order = f.CreditRecord },
        ["DeleteCreditSync"] = new { order = f.CreditRecord },
        ["MngOpenTrade"] = NewPosition,
        ["MngOpenTradeSync"] = NewPosition,
        ["MngOpenPendingTrade"] = new { login = Target, cmd = 2, volume = 10, symbol = "EURUSD", open_price = 1.0 },
        ["MngCloseTrade"] = new { login = Target, order = f.Position },
        ["MngCloseTradeSync"] = new { login = Target, order = f.Position },
        ["MngUpdateTrade"] = new { order = f.Position, login = Target, cmd = 0, comment = "hijacked" },
        ["MngUpdateTradeSync"] = new { order = f.Position, login = Target, cmd = 0, comment = "hijacked" },
        ["MngUpdateOpenTradeSync"] = new { order = f.Position, login = Target, cmd = 0, symbol = "GBPUSD", volume = 10, comment = "hijacked" },
        ["MngUpdateCloseTradeSync"] = new
        {
            order = f.Closed, login = Target, cmd = 0, symbol = "EURUSD", volume = 10, open_time = 1_700_000_000, close_time = 1_700_000_060, profit = 1_000_000,
        },
        ["MngUpdatePendingTradeSync"] = new { order = f.Pending, comment = "hijacked" },
        ["MngDeleteTrade"] = new { order = f.Closed },
        ["MngCancelTrade"] = new { order = f.Pending },
        ["MngCancelPendingTrade"] = new { order = f.Pending },
        ["MngRestoreTrade"] = new { order = f.Closed },
        ["MngGetTradesByFilter"] = new { groupFilter = "*", limit = 100, offset = 0, tradeType = 0 },
        ["GetTradesByGroup"] = new { group_mask = "*", open_only = 0 },
        ["GetTradesHistoryByLogin"] = new { login = Target, from = 0, to = 4_000_000_000L },
        ["GetTrades"] = new { },
        ["GetSymbols"] = new { },
        ["GetSymbol"] = new { symbol = "GBPUSD" },
        ["GetSymbolsSummary"] = new { },
        // The reported attack: GBPUSD is traded by "demo" too.
        ["AddSymbol"] = new { symbol = "GBPCHF", sec_index = 0, currency = "GBP", quote_currency = "CHF", margin_currency = "GBP", digits = 5, contract_size = 100_000 },
        ["UpdateSymbol"] = new { symbol = "GBPUSD", contract_size = 1e9 },
        ["DeleteSymbol"] = new { symbol = "GBPUSD" },
        ["GetSymbolGroups"] = new { },
        ["AddSymbolGroup"] = new { name = "Probe", description = "probe", trade = 1, show = 1 },
        ["UpdateSymbolGroup"] = new { sec_index = 0, parent_sec_index = 0, name = "Forex", description = "hijacked", trade = 0, show = 0 },
        ["DeleteSymbolGroup"] = new { sec_index = 1 },
        ["GetGroups"] = new { },
        ["AddGroup"] = ProtocolEndToEndTests.Group("demo-probe"),
        ["UpdateGroup"] = ProtocolEndToEndTests.Group("demo"),
        ["DeleteGroup"] = new { group = "demo" },
        ["MngAddNotify"] = new { user_id = Target, token = "rights-probe", message = "probe", type = 0, level = 10, status = 0 },
        ["GetManagers"] = new { },
        ["AuthManager"] = new { name = "rights-probe", password = "secret1" },
        ["AddManager"] = new { name = "rights-probe", password = "secret1", groups = "*" },
        ["UpdateManager"] = new { id = 1, enable = 0 },
        ["DeleteManager"] = new { id = 1 },
        ["GetChartData"] = new { symbol = "EURUSD", from = 0, to = 60, frame = "1M" },
        ["ImportChartData"] = new { symbol = "EURUSD", flushData = 1, candles = new[] { new[] { 1m, 1m, 1m, 1m, 1m, 60m } } },
        ["DeleteChartCandle"] = new { symbol = "EURUSD", candle = new[] { 1m, 1m, 1m, 1m, 60m, 1m } },
        ["UpdateChartCandle"] = new { symbol = "EURUSD", candle = new[] { 1m, 1m, 1m, 1m, 1m, 60m } },
        ["DeleteChartPeriod"] = new { symbol = "EURUSD", from = 0, to = 4_000_000_000L },
        ["FixSpikeCandle"] = new { symbol = "EURUSD", time = 60 },
        ["SyncChartData"] = new { index = 0, flushData = 0, sec_index = 0, symbol = "EURUSD" },
        ["GetLogs"] = new { from = 0, to = 4_102_444_800L, limit = 10, offset = 0 },
        ["MngExportTradesByFilter"] = new { groupFilter = "*", tradeType = 0, format = "csv" },
        ["MngAddCustomer"] = new { first_name = "Probe", email = "probe-customer@example.com" },
        ["MngLinkAccountToCustomer"] = new { login = Target, customer_id = f.Customer },
        ["MngGetCustomers"] = new { },
        ["MngAddDesk"] = new { code = "PROBE", name = "Probe desk" },
        ["MngUpdateDesk"] = new { code = "PROBE", name = "Hijacked" },
        ["MngGetDesks"] = new { },
        ["ExportTradesByLogin"] = new { login = Target, tradeType = 0, format = "csv" },
        ["GetConfig"] = new { },
        ["GetCrossPairSymbols"] = new { },
        ["UpdateConfig"] = new
        {
            name = "Hijacked", owner = "x", timeofdemo = 0, timezone = 0, antiflood = 0, floodcontrol = 0, rollovers_mode = 1,
            path_database = "", path_history = "", path_log = "", account_url = "",
        },
    };

    /// <summary>The commands with nothing to withhold: no token needed, or prices and the caller's own subscriptions.</summary>
    private static readonly string[] OpenToEveryone =
        ["AuthUser", "Subscribe", "Unsubscribe", "SubscribeAll", "UnsubscribeAll", "GetSymbols", "GetSymbol", "GetSymbolGroups", "GetChartData", "GetCrossPairSymbols", "AuthManager"];

    /// <summary>DeleteUsersList answers per login (spec batch shape): every item refused and nothing deleted.</summary>
    private static bool RefusedBatch(JsonElement reply) =>
        reply.Data() is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("failures", out var items)
        && data.GetProperty("deleted").GetInt32() == 0 && items.GetArrayLength() > 0
        && items.EnumerateArray().All(i => i.GetProperty("error").GetString() == "RET_NOT_ENOUGH_RIGHTS");

    private static object NewAccount => new { group = "demo", name = "Rights Probe", email = "probe@example.com", password = "secret1", leverage = 100, enable = 1 };

    private static object AccountEdit => new { login = Target, group = "demo", name = "Hijacked", email = "x@example.com", leverage = 500, enable = 1 };

    private static object NewPosition => new { login = Target, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 };

    [Fact]
    public void Every_registered_command_has_a_matrix_entry_and_a_sample_request()
    {
        var names = Table.Names.ToHashSet(StringComparer.Ordinal);
        Assert.Empty(names.Where(n => !RightsMatrix.Commands.ContainsKey(n)).Select(n => $"{n}: no rights matrix entry"));
        Assert.Empty(RightsMatrix.Commands.Keys.Where(n => !names.Contains(n)).Select(n => $"{n}: matrix row without a command"));
        var samples = Samples();
        Assert.Empty(names.Where(n => !samples.ContainsKey(n)).Select(n => $"{n}: add a sample request to this test"));
        Assert.Empty(samples.Keys.Where(n => !names.Contains(n)).Select(n => $"{n}: no such command"));
    }

    [Fact]
    public async Task A_staff_token_lacking_the_commands_right_is_refused_and_changes_nothing()
    {
        var samples = Samples();
        await using var admin = await f.ConnectAsync();
        await using var caller = await f.ConnectAsync();
        var failures = new List<string>();
        var walked = 0;
        foreach (var name in Table.Names.Order(StringComparer.Ordinal))
        {
            var spec = Table.Find(name)!;
            var token = TokenLacking(spec);
            if (token is null)
            {
                Assert.Contains(name, OpenToEveryone);
                // Nothing to withhold: the command is open to every session and must say why it checks no right.
                if (string.IsNullOrWhiteSpace(spec.Access.StaffRight.NotNeededBecause) || spec.Mask != MaskRule.None)
                {
                    failures.Add($"{name}: open to every session without a stated reason or with account data ({spec.Mask})");
                }
                continue;
            }
            walked++;
            var before = await f.FingerprintAsync(admin);
            var reply = await caller.CallAsync(name, samples[name], token);
            if (reply.Status() != 403 || reply.Error() != "RET_NOT_ENOUGH_RIGHTS") failures.Add($"{name}: {reply.GetRawText()}");
            if (await f.FingerprintAsync(admin) != before) failures.Add($"{name}: the server changed although the command was refused");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Table.Names.Count - OpenToEveryone.Length, walked);
    }

    [Fact]
    public async Task A_target_outside_the_callers_mask_is_refused_and_changes_nothing()
    {
        var samples = Samples();
        // Every right there is, so only the mask stands in the way.
        var manager = f.Issue(SessionType.Manager, 1002, OutsideMask, Rights.Known);
        var otherUser = f.Issue(SessionType.User, RightsFixture.Netting, "", []);
        await using var admin = await f.ConnectAsync();
        await using var caller = await f.ConnectAsync();
        var failures = new List<string>();
        foreach (var name in Table.Names.Order(StringComparer.Ordinal))
        {
            var spec = Table.Find(name)!;
            if (spec.Mask == MaskRule.None || !spec.Access.SessionTypes.Contains(SessionType.Manager)) continue;
            var before = await f.FingerprintAsync(admin);
            var reply = await caller.CallAsync(name, samples[name], manager);
            if (spec.Mask == MaskRule.Filtered)
            {
                if (reply.Status() != 200) failures.Add($"{name}: a filtered read failed: {reply.GetRawText()}");
                else if (Leaks(reply.Data())) failures.Add($"{name}: shows account {Target} or group demo: {reply.GetRawText()}");
            }
            else if (reply.Status() is not (403 or 404) && !RefusedBatch(reply))
            {
                failures.Add($"{name}: {reply.GetRawText()}");
            }
            if (await f.FingerprintAsync(admin) != before) failures.Add($"{name}: the server changed although the command was refused");

            // A user's mask is its own login: another account's is out of reach as well.
            if (spec.Access.SessionTypes.Contains(SessionType.User) && spec.Mask == MaskRule.TargetAccount)
            {
                var mine = await caller.CallAsync(name, samples[name], otherUser);
                if (mine.Status() is not (403 or 404)) failures.Add($"{name} as user {RightsFixture.Netting}: {mine.GetRawText()}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The attack of the report: a demo-netting manager blew up a demo account through GBPUSD's contract size.</summary>
    [Fact]
    public async Task A_demo_netting_manager_cannot_change_GBPUSD_which_demo_trades_and_the_demo_balance_stays()
    {
        await using var admin = await f.ConnectAsync();
        await using var c = await f.ConnectAsync();
        var balance = await BalanceAsync(admin);
        var before = await f.FingerprintAsync(admin);

        var masked = f.Issue(SessionType.Manager, 1002, OutsideMask, Rights.ManagerDefault);
        var attack = await c.CallAsync("UpdateSymbol", new { symbol = "GBPUSD", contract_size = 1e9 }, masked);
        attack.AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        Assert.Contains("demo", attack.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The same with only read rights and every group: refused for the missing right.
        var reader = f.Issue(SessionType.Manager, 1003, "*", [Rights.SeeAccounts, Rights.SeeTrades]);
        (await c.CallAsync("UpdateSymbol", new { symbol = "GBPUSD", contract_size = 1e9 }, reader)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");

        Assert.Equal(balance, await BalanceAsync(admin));
        Assert.Equal(100_000m, (await admin.CallAsync("GetSymbol", new { symbol = "GBPUSD" }, f.Admin)).Data().GetProperty("contract_size").GetDecimal());
        Assert.Equal(before, await f.FingerprintAsync(admin));

        // The check is not a blanket ban: a manager whose mask covers every group trading GBPUSD (the demo groups and
        // the embedded TestGroup of the seed examples) may edit it.
        var desk = f.Issue(SessionType.Manager, 1004, "demo*,TestGroup", [Rights.Config]);
        (await c.CallAsync("UpdateSymbol", new { symbol = "GBPUSD", description = "Cable" }, desk)).AssertOk();
        Assert.Equal("Cable", (await admin.CallAsync("GetSymbol", new { symbol = "GBPUSD" }, f.Admin)).Data().GetProperty("description").GetString());
        Assert.Equal(balance, await BalanceAsync(admin));
    }

    private async Task<decimal> BalanceAsync(LineClient admin) =>
        (await admin.CallAsync("GetAccountByLogin", new { login = Target }, f.Admin)).Data().GetProperty("balance").GetDecimal();

    /// <summary>A token the command must refuse: a staff token with every right but the command's, or a session type it excludes.</summary>
    private string? TokenLacking(CommandSpec spec)
    {
        var types = spec.Access.SessionTypes;
        if (spec.Access.IsPublic) return null;
        if (spec.Access.Right is { } right)
        {
            var type = types.Contains(SessionType.Manager) ? SessionType.Manager : SessionType.Dealer;
            return f.Issue(type, 1002, "*", Rights.Known.Where(r => r != right));
        }
        if (!types.Contains(SessionType.Manager)) return f.Issue(SessionType.Manager, 1002, "*", Rights.Known);
        if (!types.Contains(SessionType.User)) return f.Issue(SessionType.User, Target, "", []);
        return null;
    }

    /// <summary>Whether a read shows account 1000 or group "demo": a login / group cell or property, or GBPUSD exposure (only 1000 holds any).</summary>
    private static bool Leaks(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (e.TryGetProperty("structure", out var structure) && e.TryGetProperty("rows", out var rows))
                {
                    var columns = structure.EnumerateArray().Select(c => c.GetString()).ToList();
                    int login = columns.IndexOf("login"), group = columns.IndexOf("group"), symbol = columns.IndexOf("symbol"), orders = columns.IndexOf("orders");
                    foreach (var row in rows.EnumerateArray())
                    {
                        if (login >= 0 && row[login].GetInt64() == Target) return true;
                        if (group >= 0 && row[group].GetString() == "demo") return true;
                        if (symbol >= 0 && orders >= 0 && row[symbol].GetString() == "GBPUSD" && row[orders].GetInt64() != 0) return true;
                    }
                }
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "login" && p.Value.ValueKind == JsonValueKind.Number && p.Value.GetInt64() == Target) return true;
                    if (p.Name == "group" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "demo") return true;
                    if (Leaks(p.Value)) return true;
                }
                return false;
            case JsonValueKind.Array:
                return e.EnumerateArray().Any(Leaks);
            default:
                return false;
        }
    }
}
