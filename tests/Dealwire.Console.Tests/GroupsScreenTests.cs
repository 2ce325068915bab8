using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Groups (screen 6): a manager with config over the group edits its margin settings, a symbol group's commission and
/// a symbol's markups; each edit is the Server API's UpdateGroup command (PatchGroup), so the Server API reads the new
/// values back, the engine's own validation refuses a stop out above the margin call, and the audit log has the change
/// under the manager. A narrow mask does not see the group; a token without config gets no forms and a 403.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class GroupsScreenTests(ConsoleFixture fixture)
{
    private const string Group = "console-grp";

    [Fact]
    public async Task Margin_settings_commission_and_markup_are_edited_through_the_public_command()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var forex = (await api.CallAsync("GetSymbol", new { symbol = "EURUSD" })).GetProperty("sec_index").GetInt32();
        await api.CallAsync("AddGroup", new
        {
            group = Group, company = "Dealwire", currency = "USD", enable = 1, margin_call = 100, margin_mode = 1, margin_type = 0,
            margin_stopout = 50, default_leverage = 100, default_deposit = 0, secgroups = new[] { new { sec_index = forex } }, secmargins = Array.Empty<object>(),
        });

        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/groups");
        await Expect(page.Locator($"#groups tr[data-group='{Group}']")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "groups");
        await page.ClickAsync($"#groups tr[data-group='{Group}'] a");
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Group {Group}");

        await page.FillAsync("#edit-margin-call", "80");
        await page.FillAsync("#edit-stop-out", "30");
        await page.FillAsync("#edit-leverage", "200");
        await page.ClickAsync("#group-margin-save");
        await Expect(page.Locator(".notice")).ToHaveTextAsync($"Group {Group}: margin settings saved.");
        await Expect(page.Locator("#grp-margin-call")).ToHaveTextAsync("80%");
        await Expect(page.Locator("#grp-stop-out")).ToHaveTextAsync("30%");
        await Expect(page.Locator("#grp-leverage")).ToHaveTextAsync("1:200");

        await page.SelectOptionAsync("#edit-sec", forex.ToString());
        await page.FillAsync("#edit-commission", "7.5");
        await page.SelectOptionAsync("#edit-comm-charge", "OnOpenAndClose");
        await page.FillAsync("#edit-spread-diff", "2");
        await page.ClickAsync("#group-commission-save");
        await Expect(page.Locator(".notice")).ToContainTextAsync("commission saved");
        var sec = page.Locator($"#group-securities tr[data-sec='{forex}']");
        await Expect(sec).ToContainTextAsync("7.5");
        await Expect(sec).ToContainTextAsync("OnOpenAndClose");

        await page.SelectOptionAsync("#edit-markup-symbol", "EURUSD");
        await page.FillAsync("#edit-bid-markup", "-3");
        await page.FillAsync("#edit-ask-markup", "4");
        await page.ClickAsync("#group-markup-save");
        await Expect(page.Locator(".notice")).ToContainTextAsync("markup of EURUSD saved");
        await Expect(page.Locator("#group-markups tr[data-symbol='EURUSD']")).ToContainTextAsync("-3");
        await ConsoleBrowser.ScreenshotAsync(page, "group");

        // The Server API reads what the console wrote.
        var groups = await api.CallAsync("GetGroups", new { });
        var row = Rows(groups).Single(g => g.GetProperty("group").GetString() == Group);
        Assert.Equal(80m, row.GetProperty("margin_call").GetDecimal());
        Assert.Equal(30m, row.GetProperty("margin_stopout").GetDecimal());
        var security = row.GetProperty("secgroups").EnumerateArray().Single();
        Assert.Equal(7.5m, security.GetProperty("comm_base").GetDecimal());
        Assert.Equal(2, security.GetProperty("comm_charge").GetInt32());
        Assert.Equal(2, security.GetProperty("spread_diff").GetInt32());
        var markup = row.GetProperty("secmargins").EnumerateArray().Single();
        Assert.Equal(-3, markup.GetProperty("bid_markup").GetInt32());
        Assert.Equal(4, markup.GetProperty("ask_markup").GetInt32());

        // The engine's own rule, not a copy of it: the stop out must not exceed the margin call. Nothing changes.
        await page.FillAsync("#edit-stop-out", "90");
        await page.ClickAsync("#group-margin-save");
        await Expect(page.Locator(".error")).ToContainTextAsync("stop-out level must not exceed the margin-call level");
        await Expect(page.Locator("#grp-stop-out")).ToHaveTextAsync("30%");
        await page.FillAsync("#edit-ask-markup", "wide");
        await page.ClickAsync("#group-markup-save");
        await Expect(page.Locator(".error")).ToContainTextAsync("invalid_data");

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = Group });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, $"/console/audit/events?text={Group}", async () => await audited.CountAsync() >= 4);
        await Expect(audited.First).ToContainTextAsync("manager:");
    }

    [Fact]
    public async Task A_narrow_mask_does_not_see_the_group_and_without_config_there_is_no_edit()
    {
        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync("/console/groups");
        await Expect(narrow.Locator($"#groups tr[data-group='{ConsoleFixture.NarrowGroup}']")).ToBeVisibleAsync();
        await Expect(narrow.Locator("#groups tr[data-group='demo']")).ToHaveCountAsync(0);
        var hidden = await narrow.GotoAsync("/console/groups/demo");
        Assert.Equal(404, hidden!.Status);

        var page = await fixture.SignInAsync(await RestrictedTokens.IssueAsync(fixture.Server, "see_accounts,see_trades"));
        await page.GotoAsync("/console/groups/demo");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Group demo");
        await Expect(page.Locator("#group-margin")).ToHaveCountAsync(0);
        var csrf = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        var form = page.APIRequest.CreateFormData();
        form.Set("__csrf", csrf!);
        form.Set("marginCall", "10");
        form.Set("stopOut", "5");
        form.Set("leverage", "100");
        form.Set("unit", "Percent");
        form.Set("freeMargin", "UseAll");
        var post = await page.APIRequest.PostAsync("/console/groups/demo/margin", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, post.Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#grp-margin-call")).Not.ToHaveTextAsync("10%");
    }

    private static IEnumerable<JsonElement> Rows(JsonElement data) =>
        data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : data.GetProperty("rows").EnumerateArray();
}
