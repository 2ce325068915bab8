using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 6 with the candles of screen 7's symbol page: the symbol list, a symbol's candles drawn from the history
/// store, and an edit of spread and swaps by a manager with config over every group, submitted as the Server API's
/// UpdateSymbol does (the Server API reads the new values back; the audit log has the change under the manager);
/// a token without config gets no form and a 403.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SymbolsScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_symbol_shows_candles_and_its_spread_and_swaps_are_edited_through_the_public_command()
    {
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync("/console/symbols");
        await Expect(page.Locator("#symbols tr[data-symbol='USDJPY']")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "symbols");
        await page.ClickAsync("#symbols tr[data-symbol='USDJPY'] a");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Symbol USDJPY");

        // The fixed-price replay has been ticking since the fixture started: the store holds M1 candles of it.
        await ConsoleSignInAuditTests.ReloadUntilAsync(page, "/console/symbols/USDJPY", async () => await page.Locator("#candles rect.candle").CountAsync() > 0);
        await Expect(page.Locator("#candles rect.candle title").First).ToContainTextAsync("151.500");

        await page.FillAsync("#edit-spread", "25");
        await page.FillAsync("#edit-swap-long", "-3.5");
        await page.FillAsync("#edit-swap-short", "1.25");
        await page.ClickAsync("#symbol-save");
        await Expect(page.Locator(".notice")).ToHaveTextAsync("Symbol USDJPY saved.");
        await Expect(page.Locator("#sym-spread")).ToHaveTextAsync("25");
        await Expect(page.Locator("#sym-swaps")).ToContainTextAsync("long -3.5, short 1.25");
        await ConsoleBrowser.ScreenshotAsync(page, "symbol");

        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var symbol = await api.CallAsync("GetSymbol", new { symbol = "USDJPY" });
        Assert.Contains("25", symbol.ToString(), StringComparison.Ordinal);

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        // The journaled PatchSymbol's row (its detail is the command's JSON, shown cut to 300 characters).
        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = "USDJPY" });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, "/console/audit/events?text=USDJPY", async () => await audited.CountAsync() > 0);
        await Expect(audited.First).ToContainTextAsync("manager:");

        // Bad input is refused with a stable code and changes nothing.
        await page.FillAsync("#edit-spread", "wide");
        await page.ClickAsync("#symbol-save");
        await Expect(page.Locator(".error")).ToContainTextAsync("invalid_data");
        await Expect(page.Locator("#sym-spread")).ToHaveTextAsync("25");
    }

    [Fact]
    public async Task Without_the_config_right_there_is_no_edit_and_a_post_is_forbidden()
    {
        var page = await fixture.SignInAsync(await RestrictedTokens.IssueAsync(fixture.Server, "see_accounts,see_trades"));
        await page.GotoAsync("/console/symbols/XAUUSD");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Symbol XAUUSD");
        await Expect(page.Locator("#symbol-edit")).ToHaveCountAsync(0);
        var csrf = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        var form = page.APIRequest.CreateFormData();
        form.Set("__csrf", csrf!);
        form.Set("spread", "99");
        form.Set("swapLong", "0");
        form.Set("swapShort", "0");
        form.Set("tradeMode", "Full");
        var post = await page.APIRequest.PostAsync("/console/symbols/XAUUSD", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, post.Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#sym-spread")).Not.ToHaveTextAsync("99");
    }
}
