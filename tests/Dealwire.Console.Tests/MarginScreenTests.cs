using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>Screen 5 in chromium: an account that takes margin over the Server API appears in the margin monitor, live.</summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class MarginScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_account_using_margin_appears_with_its_level_without_a_reload()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Margin User", "margin@example.com", deposit: 1_000);
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/margin");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-state", "connected");
        var row = page.Locator($"#margin-accounts tr[data-login='{login}']");
        await Expect(row).ToHaveCountAsync(0);

        await api.OpenAsync(login, "EURUSD", 10);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("%");
        await ConsoleBrowser.ScreenshotAsync(page, "margin");
    }
}
