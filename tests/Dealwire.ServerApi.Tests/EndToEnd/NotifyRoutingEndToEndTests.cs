using System.Text.Json;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>Issue #11 item 1 (notifications) and issue #12 (notify data types) against the real process.</summary>
[Collection(RealServerCollection.Name)]
public sealed class NotifyRoutingEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    private static bool IsNote(string line, string token) =>
        line.StartsWith("[\"n\",", StringComparison.Ordinal) && line.Contains($"\"{token}\"", StringComparison.Ordinal);

    /// <summary>
    /// The reported case: account 1002 of group "demo" and a "demo-netting" manager whose id is also 1002. The note to
    /// the account reaches it and the "demo" desk; the namesake manager sees only the sentinel sent after it. The login
    /// is the next free one (1002 on a fresh server; later on the server the other classes share), the manager takes the same id.
    /// </summary>
    [Fact]
    public async Task A_note_to_an_account_reaches_it_and_its_groups_managers_never_a_manager_with_the_same_id()
    {
        await using var admin = await fixture.ConnectAsync();
        var created = await admin.CallAsync("MngAddAccount", new
        {
            group = "demo", name = "Demo namesake", email = "namesake@example.com", password = "secret1", leverage = 100, enable = 1,
        }, Admin);
        created.AssertOk();
        var login = created.Data().GetProperty("login").GetInt64();
        var token = $"route-{login}";

        await using var owner = await fixture.ConnectAsync();
        await using var namesake = await fixture.ConnectAsync();
        await using var desk = await fixture.ConnectAsync();
        // A command adopts each connection's identity; notifications need no subscription.
        (await owner.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, login, "demo"))).AssertOk();
        (await namesake.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, login, "demo-netting"))).AssertOk();
        (await desk.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, 7, "demo"))).AssertOk();

        (await admin.CallAsync("MngAddNotify", new { user_id = login, token, message = $"For {login}", type = 0, level = 10, status = 0 }, Admin)).AssertOk();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.NettingLogin, token = "route-sentinel", message = "For 1001", type = 0, level = 10, status = 0,
        }, Admin)).AssertOk();

        Assert.Equal(login, Wire.Parse(await owner.WaitForAsync(l => IsNote(l, token)))[6].GetInt64());
        await desk.WaitForAsync(l => IsNote(l, token));
        // Both notes leave the engine in order on every connection: the sentinel arriving first proves the account's note never will.
        var before = new List<string>();
        await namesake.WaitForAsync(l => IsNote(l, "route-sentinel"), skipped: before);
        Assert.DoesNotContain(before, l => IsNote(l, token));
    }

    /// <summary>A note to an id no account holds is a manager note: it reaches that manager id's sessions only.</summary>
    [Fact]
    public async Task A_note_to_a_manager_id_without_an_account_reaches_that_managers_sessions()
    {
        await using var admin = await fixture.ConnectAsync();
        await using var manager = await fixture.ConnectAsync();
        (await manager.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, 777, "demo-netting"))).AssertOk();
        (await admin.CallAsync("MngAddNotify", new { user_id = 777, token = "route-777", message = "Desk", type = 1, level = 10, status = 0 }, Admin)).AssertOk();
        Assert.Equal(777, Wire.Parse(await manager.WaitForAsync(l => IsNote(l, "route-777")))[6].GetInt64());
    }

    /// <summary><c>access</c> 2 (NOTIFY_LEVEL_ALL_MANGERS): every staff session gets the note, the addressed trader does not.</summary>
    [Fact]
    public async Task A_note_with_access_2_reaches_every_manager_and_no_trader()
    {
        await using var admin = await fixture.ConnectAsync();
        await using var trader = await fixture.ConnectAsync();
        await using var netting = await fixture.ConnectAsync();
        await using var other = await fixture.ConnectAsync();
        (await trader.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo"))).AssertOk();
        (await netting.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, 31, "demo-netting"))).AssertOk();
        (await other.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Dealer, 32, "fx*"))).AssertOk();

        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "route-all-managers", message = "Desk-wide", type = 1, level = 10, status = 0, access = 2,
        }, Admin)).AssertOk();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "route-all-sentinel", message = "For the trader", type = 0, level = 10, status = 0,
        }, Admin)).AssertOk();

        await netting.WaitForAsync(l => IsNote(l, "route-all-managers"));
        await other.WaitForAsync(l => IsNote(l, "route-all-managers"));
        var before = new List<string>();
        await trader.WaitForAsync(l => IsNote(l, "route-all-sentinel"), skipped: before);
        Assert.DoesNotContain(before, l => IsNote(l, "route-all-managers"));
    }

    [Fact]
    public async Task Notify_data_keeps_its_json_types()
    {
        await using var admin = await fixture.ConnectAsync();
        await using var user = await fixture.ConnectAsync();
        (await user.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.User, RealServerFixture.HedgingLogin, "demo"))).AssertOk();
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "typed-data", message = "Order filled", type = 0, level = 10, status = 1,
            data = new { order = 42, price = 1.10015, filled = true, note = "ok", legs = new[] { 1, 2 }, extra = new { depth = 3 }, none = (string?)null },
        }, Admin)).AssertOk();

        var n = Wire.Parse(await user.WaitForAsync(l => IsNote(l, "typed-data")));
        Assert.Equal(10, n.GetArrayLength());
        Assert.Equal("""{"order":42,"price":1.10015,"filled":true,"note":"ok","legs":[1,2],"extra":{"depth":3},"none":null}""", n[8].GetRawText());
        Assert.Equal(JsonValueKind.Number, n[8].GetProperty("order").ValueKind);

        var tooBig = new string('x', 2100); // over the 2048-byte data limit, under the fixture's 4096-byte line limit
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "typed-big", message = "m", type = 0, level = 10, status = 0, data = new { blob = tooBig },
        }, Admin)).AssertError(400, "INVALID_DATA");
        (await admin.CallAsync("MngAddNotify", new
        {
            user_id = RealServerFixture.HedgingLogin, token = "typed-array", message = "m", type = 0, level = 10, status = 0, data = new[] { 1 },
        }, Admin)).AssertError(400, "INVALID_DATA");
    }
}
