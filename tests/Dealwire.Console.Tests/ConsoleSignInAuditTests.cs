using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Console sign-ins land in the audit log's side channel (action ConsoleSignIn): a granted one under the manager's
/// actor, a refused one as anonymous with status ERROR, both with the browser's address; the administrator reads
/// them on the audit events page.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConsoleSignInAuditTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Granted_and_refused_console_sign_ins_are_in_the_audit_log()
    {
        await fixture.SignInAsync(fixture.NarrowKey);

        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.Server.HttpAddress.ToString() });
        var stranger = await context.NewPageAsync();
        await stranger.GotoAsync("/console/signin");
        await stranger.FillAsync("#credential", "not-a-key-" + Guid.NewGuid().ToString("N"));
        await stranger.ClickAsync("#signin");
        await Expect(stranger.Locator(".error")).ToContainTextAsync("auth_failed");

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        var granted = admin.Locator("#audit-events tbody tr", new() { HasText = "console sign-in of narrow" });
        var refused = admin.Locator("#audit-events tbody tr", new() { HasText = "unknown manager key or invalid token" });
        // The side channel writes in the background: reload until both rows are stored (a bounded wait, not a sleep).
        await ReloadUntilAsync(admin, "/console/audit/events?action=ConsoleSignIn", async () => await granted.CountAsync() > 0 && await refused.CountAsync() > 0);

        await Expect(granted.First).ToContainTextAsync("SUCCESS");
        await Expect(granted.First).ToContainTextAsync("manager:");
        await Expect(granted.First).ToContainTextAsync("127.0.0.1");
        await Expect(refused.First).ToContainTextAsync("ERROR");
        await Expect(refused.First).ToContainTextAsync("client:0");
        await ConsoleBrowser.ScreenshotAsync(admin, "audit-events");

        // The status filter keeps only refusals.
        await admin.GotoAsync("/console/audit/events?action=ConsoleSignIn&status=ERROR");
        await Expect(admin.Locator("#audit-events tbody tr", new() { HasText = "SUCCESS" })).ToHaveCountAsync(0);
        await Expect(admin.Locator("#audit-events tbody tr", new() { HasText = "ERROR" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_manager_without_the_logs_right_cannot_read_the_audit_events()
    {
        var page = await fixture.SignInAsync(await RestrictedTokens.IssueAsync(fixture.Server, "see_accounts,see_trades"));
        var response = await page.GotoAsync("/console/audit/events");
        Assert.Equal(403, response!.Status);
    }

    internal static async Task ReloadUntilAsync(IPage page, string url, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await page.GotoAsync(url);
            if (await done()) return;
            Assert.True(DateTime.UtcNow < deadline, $"{url} did not show the expected rows in time");
            await Task.Delay(200);
        }
    }
}
