using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Managers and rights (screen 9): an administrator lists the manager records, narrows a manager's rights and mask and
/// disables it; the change reaches that manager's open console session at its next action (a balance operation it was
/// allowed a moment ago is refused, the accounts of the dropped groups vanish, a disabled manager is signed out), the
/// Server API's GetManagers reads the same record, and the audit log has each change under the administrator. A manager
/// who is not an administrator sees the records but cannot change them (the refusal is audited too).
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ManagersScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_narrowed_right_applies_to_the_managers_open_session_at_its_next_action()
    {
        var clerkKey = await ConsoleBrowser.IssueKeyAsync(fixture.Server, "clerk", "*");
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Rights Probe", "rights-probe@example.com");

        // The clerk has its card open with the balance form (the default rights include set_accounts_balance).
        var clerk = await fixture.SignInAsync(clerkKey);
        await clerk.GotoAsync($"/console/accounts/{login}");
        await Expect(clerk.Locator("#balance-review")).ToBeVisibleAsync();
        await clerk.SelectOptionAsync("#operation", "deposit");
        await clerk.FillAsync("#amount", "100");

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync("/console/managers");
        var row = admin.Locator("#managers tbody tr", new() { HasText = "clerk" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("set_accounts_balance");
        await ConsoleBrowser.ScreenshotAsync(admin, "managers");
        await row.Locator("a").First.ClickAsync();
        await Expect(admin.Locator("#mgr-name")).ToHaveTextAsync("clerk");
        await admin.UncheckAsync("#right-set_accounts_balance");
        await admin.FillAsync("#edit-groups", "demo*");
        await admin.ClickAsync("#manager-save");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("rights and group mask saved");
        await Expect(admin.Locator("#mgr-rights")).Not.ToContainTextAsync("set_accounts_balance");
        await Expect(admin.Locator("#mgr-groups")).ToHaveTextAsync("demo*");
        await ConsoleBrowser.ScreenshotAsync(admin, "manager");

        // The clerk's next click, on the page it already had open: refused on the server, nothing booked.
        await clerk.ClickAsync("#balance-review");
        await Expect(clerk.Locator("h1")).ToHaveTextAsync("Not allowed");
        await Expect(clerk.Locator(".error")).ToContainTextAsync("set_accounts_balance");
        var account = await api.CallAsync("GetAccountByLogin", new { login });
        Assert.Equal(0m, account.GetProperty("balance").GetDecimal());
        // The narrowed mask too: a TestGroup account is now outside it.
        var outside = await api.AddAccountAsync("TestGroup", "Outside Mask", "outside-mask@example.com");
        var hidden = await clerk.GotoAsync($"/console/accounts/{outside}");
        Assert.Equal(404, hidden!.Status);
        await Expect(clerk.Locator("#who")).ToContainTextAsync("demo*");

        // The Server API reads the same record.
        var managers = await api.CallAsync("GetManagers", new { });
        var listed = managers.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "clerk");
        Assert.Equal(0, listed.GetProperty("set_accounts_balance").GetInt32());
        Assert.Equal(1, listed.GetProperty("see_accounts").GetInt32());
        Assert.Equal("demo*", listed.GetProperty("groups").GetString());

        // Disabled: the clerk's session ends at its next request.
        await admin.ClickAsync("#toggle-manager");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("manager disabled");
        await Expect(admin.Locator("#mgr-state")).ToHaveTextAsync("disabled");
        await clerk.GotoAsync("/console/accounts");
        await Expect(clerk.Locator("h1")).ToHaveTextAsync("Sign in");
        await Expect(clerk.Locator(".error")).ToContainTextAsync("expired");

        // Each change is in the audit log under the administrator.
        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = "UpdateManager" });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, "/console/audit/events?text=%27clerk%27", async () => await audited.CountAsync() >= 2);
        // The log shows staff actors as GetLogs does (type MANAGER): the demo admin token is id 1.
        await Expect(audited.First).ToContainTextAsync("manager:1");
        await Expect(audited.First).ToContainTextAsync("SUCCESS");
        await Expect(audited.First).ToContainTextAsync("enable=0");
        await Expect(audited.Nth(1)).ToContainTextAsync("groups='demo*'");
    }

    [Fact]
    public async Task A_manager_who_is_not_an_administrator_sees_the_records_but_cannot_change_them()
    {
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/managers");
        var desk = page.Locator("#managers tbody tr", new() { HasText = "desk" });
        await Expect(desk).ToHaveCountAsync(1);
        var id = await desk.GetAttributeAsync("data-id");
        await page.GotoAsync($"/console/managers/{id}");
        await Expect(page.Locator("#mgr-name")).ToHaveTextAsync("desk");
        await Expect(page.Locator("#manager-edit")).ToHaveCountAsync(0);

        var csrf = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        var form = page.APIRequest.CreateFormData();
        form.Set("__csrf", csrf!);
        form.Set("groups", "*");
        form.Append("rights", "see_accounts");
        var post = await page.APIRequest.PostAsync($"/console/managers/{id}", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, post.Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#mgr-rights")).ToContainTextAsync("set_trades");

        // A narrow manager does not see managers whose mask is wider than its own.
        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync("/console/managers");
        await Expect(narrow.Locator("#managers tbody tr", new() { HasText = "narrow" })).ToHaveCountAsync(1);
        await Expect(narrow.Locator("#managers tbody tr", new() { HasText = "desk" })).ToHaveCountAsync(0);
        var hidden = await narrow.GotoAsync($"/console/managers/{id}");
        Assert.Equal(404, hidden!.Status);

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        var refused = admin.Locator("#audit-events tbody tr", new() { HasText = "UpdateManager" });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, "/console/audit/events?status=ERROR&text=needs%20an%20administrator", async () => await refused.CountAsync() > 0);
        await Expect(refused.First).ToContainTextAsync("manager:");
    }

    [Fact]
    public async Task An_administrator_grants_and_removes_the_administrator_role_and_the_managers_open_session_follows()
    {
        var key = await ConsoleBrowser.IssueKeyAsync(fixture.Server, "promoted", "*");
        var promoted = await fixture.SignInAsync(key);
        await promoted.GotoAsync("/console/managers");
        var id = await promoted.Locator("#managers tbody tr", new() { HasText = "promoted" }).GetAttributeAsync("data-id");
        await promoted.GotoAsync($"/console/managers/{id}");
        await Expect(promoted.Locator("#mgr-role")).ToHaveTextAsync("manager");
        await Expect(promoted.Locator("#manager-edit")).ToHaveCountAsync(0);

        // Not an administrator: the role cannot be taken by posting the form.
        var csrf = await promoted.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        var form = promoted.APIRequest.CreateFormData();
        form.Set("__csrf", csrf!);
        form.Set("value", "true");
        var post = await promoted.APIRequest.PostAsync($"/console/managers/{id}/admin", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, post.Status);

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync($"/console/managers/{id}");
        await admin.ClickAsync("#toggle-admin");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("administrator role granted");
        await Expect(admin.Locator("#mgr-role")).ToContainTextAsync("administrator");

        // The promoted manager's open session is an administrator's at its next request.
        await promoted.ReloadAsync();
        await Expect(promoted.Locator("#manager-edit")).ToHaveCountAsync(1);
        // Its own role it cannot remove (the session could not undo it).
        await promoted.ClickAsync("#toggle-admin");
        await Expect(promoted.Locator(".error")).ToContainTextAsync("you cannot remove your own administrator role");
        await Expect(promoted.Locator("#mgr-role")).ToContainTextAsync("administrator");

        await admin.ReloadAsync();
        await admin.ClickAsync("#toggle-admin");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("administrator role removed");
        await promoted.ReloadAsync();
        await Expect(promoted.Locator("#manager-edit")).ToHaveCountAsync(0);
        await Expect(promoted.Locator("#mgr-role")).ToHaveTextAsync("manager");

        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = "UpdateManager" });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, "/console/audit/events?text=%27promoted%27", async () => await audited.CountAsync() >= 2);
        await Expect(audited.First).ToContainTextAsync("admin=0");
        await Expect(audited.Nth(1)).ToContainTextAsync("admin=1");
    }
}
