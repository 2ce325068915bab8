using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// The system screen shows what /health reports, read from the services: engine, journal and snapshots, history
/// projector and its lag, committed-stream consumers, cluster role; it follows the journal live; managers without
/// the logs right are refused.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SystemScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_system_screen_agrees_with_health_and_follows_the_journal_live()
    {
        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync("/console/system");
        await Expect(admin.Locator("body")).ToHaveAttributeAsync("data-live-state", "connected");
        await Expect(admin.Locator("#sys-status")).ToHaveTextAsync("ok");
        await Expect(admin.Locator("#sys-engine")).ToHaveTextAsync("Running");

        var health = await fixture.Server.GetHealthAsync();
        await Expect(admin.Locator("#sys-cluster-role")).ToHaveTextAsync(health.GetProperty("cluster").GetProperty("role").GetString()!);
        await Expect(admin.Locator("#consumers tr[data-consumer='history']")).ToBeVisibleAsync();
        await Expect(admin.Locator("#sys-history-running")).ToHaveTextAsync("yes");

        // A deposit from another API moves the journal: the page follows without a reload.
        var before = long.Parse(await admin.Locator("#sys-journal-sequence").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        await api.AddAccountAsync("demo", "System Watch", "system@example.com", deposit: 10);
        await Expect(admin.Locator("#sys-journal-sequence")).Not.ToHaveTextAsync(before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var after = long.Parse(await admin.Locator("#sys-journal-sequence").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after >= before + 2, $"journal sequence {before} -> {after}");
        await ConsoleBrowser.ScreenshotAsync(admin, "system");
    }

    [Fact]
    public async Task A_manager_without_the_logs_right_is_refused()
    {
        var page = await fixture.SignInAsync(await RestrictedTokens.IssueAsync(fixture.Server, "see_accounts,see_trades"));
        var response = await page.GotoAsync("/console/system");
        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("header nav a", new() { HasText = "System" })).ToHaveCountAsync(0);
    }
}
