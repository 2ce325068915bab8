using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Managers and rights (screen 9), adding and deleting: an administrator adds a manager with a narrow mask from the
/// console, that manager signs in (AuthManager's token) and sees only its groups; the administrator deletes it after a
/// confirmation step and its open session ends at its next request; GetManagers and the audit journal agree. A manager
/// who is not an administrator is refused on the server (403), not only shown no button.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ManagerLifecycleTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_administrator_adds_a_narrow_manager_and_deletes_it_after_confirming()
    {
        var name = "lifecycle-" + Guid.NewGuid().ToString("N")[..6];
        var email = name + "@broker.test";
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var outside = await api.AddAccountAsync("TestGroup", "Outside Lifecycle", name + "-outside@example.com");

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync("/console/managers");
        await admin.FillAsync("#add-name", name);
        await admin.FillAsync("#add-email", email);
        await admin.FillAsync("#add-groups", "demo*");
        await admin.FillAsync("#add-password", "lifecycle-pw");
        await ConsoleBrowser.ScreenshotAsync(admin, "manager-add");
        await admin.ClickAsync("#manager-add-submit");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("added");
        await Expect(admin.Locator("#mgr-name")).ToHaveTextAsync(name);
        await Expect(admin.Locator("#mgr-groups")).ToHaveTextAsync("demo*");
        await Expect(admin.Locator("#mgr-rights")).ToContainTextAsync("see_accounts");
        var id = long.Parse(admin.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        // The new manager signs in with its password (AuthManager) and sees only its groups.
        var signedIn = await api.CallAsync("AuthManager", new { email, password = "lifecycle-pw" });
        var token = signedIn.GetProperty("__token").GetString()!;
        var manager = await fixture.SignInAsync(token);
        await manager.GotoAsync("/console/accounts");
        await Expect(manager.Locator("#who")).ToContainTextAsync("demo*");
        var hidden = await manager.GotoAsync($"/console/accounts/{outside}");
        Assert.Equal(404, hidden!.Status);

        // Delete: a confirmation step first, then the record is gone and the manager's session ends.
        await admin.ClickAsync("#delete-manager");
        await Expect(admin.Locator("#delete-confirm")).ToContainTextAsync(name);
        await ConsoleBrowser.ScreenshotAsync(admin, "manager-delete");
        Assert.Contains(name, Names(await api.CallAsync("GetManagers", new { }))); // not yet deleted
        await admin.ClickAsync("#delete-confirm-yes");
        await Expect(admin.Locator(".notice")).ToContainTextAsync("deleted");
        await Expect(admin.Locator("#managers tbody tr", new() { HasText = name })).ToHaveCountAsync(0);
        Assert.DoesNotContain(name, Names(await api.CallAsync("GetManagers", new { })));
        await manager.GotoAsync("/console/accounts");
        await Expect(manager.Locator("h1")).ToHaveTextAsync("Sign in");
        var gone = await admin.GotoAsync($"/console/managers/{id}");
        Assert.Equal(404, gone!.Status);

        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = name });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, $"/console/audit/events?text={name}", async () => await audited.CountAsync() >= 2);
        await Expect(admin.Locator("#audit-events tbody tr", new() { HasText = "DeleteManager" })).ToHaveCountAsync(1);
        await Expect(admin.Locator("#audit-events tbody tr", new() { HasText = "AddManager" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_manager_who_is_not_an_administrator_cannot_add_or_delete_managers()
    {
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/managers");
        await Expect(page.Locator("#manager-add")).ToHaveCountAsync(0);
        var id = await page.Locator("#managers tbody tr", new() { HasText = "narrow" }).GetAttributeAsync("data-id");
        var csrf = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");

        var add = page.APIRequest.CreateFormData();
        add.Set("__csrf", csrf!);
        add.Set("name", "sneaky");
        add.Set("groups", "*");
        Assert.Equal(403, (await page.APIRequest.PostAsync("/console/managers/add", new() { Form = add, MaxRedirects = 0 })).Status);

        var delete = page.APIRequest.CreateFormData();
        delete.Set("__csrf", csrf!);
        delete.Set("confirm", "yes");
        Assert.Equal(403, (await page.APIRequest.PostAsync($"/console/managers/{id}/delete", new() { Form = delete, MaxRedirects = 0 })).Status);

        // Without the anti-forgery token even an administrator's request does nothing.
        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        var forged = admin.APIRequest.CreateFormData();
        forged.Set("name", "forged");
        forged.Set("groups", "*");
        Assert.Equal(400, (await admin.APIRequest.PostAsync("/console/managers/add", new() { Form = forged, MaxRedirects = 0 })).Status);

        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var names = Names(await api.CallAsync("GetManagers", new { }));
        Assert.DoesNotContain("sneaky", names);
        Assert.DoesNotContain("forged", names);
        Assert.Contains("narrow", names);
    }

    private static List<string> Names(JsonElement managers) =>
        managers.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
}
