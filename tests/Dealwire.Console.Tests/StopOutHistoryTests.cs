using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 5's stop-out history: an account whose credit is taken out under an open position is stopped out by the
/// engine; the closed deal (activation stop out) is listed from the history store, for the masks that see its group.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StopOutHistoryTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_stopped_out_position_is_in_the_stop_out_history_of_masks_that_see_it()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Stopped Out", "stopout@example.com", deposit: 100);
        await api.CallAsync("CreditInSync", new { login, amount = 10_000, comment = "margin loan" });
        var ticket = await api.OpenAsync(login, "EURUSD", 500);
        // The credit leaves while 5 lots are open: equity falls far below the stop-out level; the next tick closes the position.
        await api.CallAsync("CreditOutSync", new { login, amount = -10_000, comment = "loan recalled" });

        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/margin");
        await page.ClickAsync("#stopout-history");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Stop-out history");
        var row = page.Locator($"#stop-outs tr[data-ticket='{ticket}']");
        await ConsoleSignInAuditTests.ReloadUntilAsync(page, $"/console/margin/stopouts?login={login}", async () => await row.CountAsync() == 1);
        await Expect(row).ToContainTextAsync("EURUSD");
        await Expect(row).ToContainTextAsync("5.00");
        await page.GotoAsync("/console/margin/stopouts");
        await Expect(row).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "stop-outs");

        // The narrow mask (TestGroup only) does not see a demo account's stop-out.
        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync("/console/margin/stopouts");
        await Expect(narrow.Locator("h1")).ToHaveTextAsync("Stop-out history");
        await Expect(narrow.Locator($"#stop-outs tr[data-ticket='{ticket}']")).ToHaveCountAsync(0);
    }
}
