using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 7: a symbol's raw feed price beside the prices of the groups the manager sees, and the quote filter's
/// counters, from the fixed-price replay; a narrow mask gets only its own group's row.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class QuotesScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Raw_and_group_prices_and_the_filter_counters_are_shown_per_mask()
    {
        var (bid, ask) = Dealwire.Testing.FixedPrices.Quotes["EURUSD"];
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/quotes?symbol=EURUSD");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-state", "connected");
        var raw = page.Locator("#prices tr[data-price='raw']");
        await Expect(raw.Locator(".bid")).ToHaveTextAsync(bid);
        await Expect(raw.Locator(".ask")).ToHaveTextAsync(ask);
        await Expect(raw.Locator(".spread")).ToHaveTextAsync("10");
        await Expect(page.Locator("#prices tr[data-price='demo'] .bid")).ToBeVisibleAsync();
        await Expect(page.Locator($"#prices tr[data-price='{ConsoleFixture.NarrowGroup}']")).ToHaveCountAsync(1);
        Assert.True(long.Parse(await page.Locator("#filter-accepted").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        await ConsoleBrowser.ScreenshotAsync(page, "quotes");

        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync("/console/quotes?symbol=EURUSD");
        await Expect(narrow.Locator($"#prices tr[data-price='{ConsoleFixture.NarrowGroup}']")).ToHaveCountAsync(1);
        await Expect(narrow.Locator("#prices tr[data-price='demo']")).ToHaveCountAsync(0);
    }
}
