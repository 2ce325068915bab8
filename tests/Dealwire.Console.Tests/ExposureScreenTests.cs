using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 4 in chromium: exposure by symbol and group, for a narrow mask (so the other tests' positions in other
/// groups stay out of the figures), updates live when positions are opened elsewhere.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ExposureScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Net_volume_by_symbol_and_group_follows_positions_opened_over_the_server_api()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync(ConsoleFixture.NarrowGroup, "Exposure Buyer", "exposure@example.com", deposit: 50_000);
        var page = await fixture.SignInAsync(fixture.NarrowKey);
        await page.GotoAsync("/console/exposure");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-state", "connected");
        var xau = page.Locator("#exposure-symbols tr[data-key='XAUUSD']");
        await Expect(xau).ToHaveCountAsync(0);

        await api.OpenAsync(login, "XAUUSD", 30);
        await api.OpenAsync(login, "XAUUSD", 10);
        // Both arrive by the live stream: 0.40 lots bought, none sold.
        await Expect(xau.Locator(".net")).ToHaveTextAsync("0.40");
        await Expect(page.Locator($"#exposure-groups tr[data-key='{ConsoleFixture.NarrowGroup}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#exposure-groups tr[data-key='demo']")).ToHaveCountAsync(0);
        await ConsoleBrowser.ScreenshotAsync(page, "exposure");
    }
}
