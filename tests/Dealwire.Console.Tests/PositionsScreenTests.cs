using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 2 in chromium: a position opened over the Server API appears on the open positions page without a reload
/// (Server-Sent Events), is modified and partly then fully closed from the console, and the close is in the audit
/// journal under the manager's actor.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PositionsScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_position_opened_elsewhere_appears_live_and_is_closed_from_the_console_with_an_audit_entry()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Console Live", "live@example.com", deposit: 10_000);
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync($"/console/positions?login={login}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live-state", "connected");
        await Expect(page.Locator("#positions tbody tr")).ToHaveCountAsync(0);

        // Opened by another API while the page is open: it must arrive by the live stream, not by a reload.
        var ticket = await api.OpenAsync(login, "EURUSD", 20);
        var row = page.Locator($"#positions tr[data-ticket='{ticket}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("1.10010");
        await Expect(page.Locator("#positions")).Not.ToHaveAttributeAsync("data-updates", "0");
        await ConsoleBrowser.ScreenshotAsync(page, "positions");

        await row.Locator("a", new() { HasText = "manage" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Trade {ticket}");
        await page.FillAsync("#sl", "1.05000");
        await page.FillAsync("#tp", "1.20000");
        await page.ClickAsync("#modify-trade");
        await Expect(page.Locator(".notice")).ToContainTextAsync("SL/TP changed");
        await Expect(page.Locator("#trade-sltp")).ToHaveTextAsync("1.05000 / 1.20000");

        await page.FillAsync("#close-lots", "0.05");
        await page.ClickAsync("#close-trade");
        await Expect(page.Locator(".notice")).ToContainTextAsync("closed 0.05 lots");
        await ConsoleBrowser.ScreenshotAsync(page, "trade");

        // The rest of the position stays open (under its ticket or a new one): close it from the positions page too.
        await page.GotoAsync($"/console/positions?login={login}");
        var rest = page.Locator("#positions tbody tr");
        await Expect(rest).ToHaveCountAsync(1);
        await Expect(rest).ToContainTextAsync("0.15");
        var restTicket = long.Parse(await rest.GetAttributeAsync("data-ticket") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"/console/trades/{restTicket}");
        await page.ClickAsync("#close-trade");
        await Expect(page.Locator(".notice")).ToContainTextAsync("closed 0.15 lots");
        await page.GotoAsync($"/console/positions?login={login}");
        await Expect(page.Locator("#positions tbody tr")).ToHaveCountAsync(0);

        // The audit journal (history store's audit_log) holds the console's close under the manager's actor.
        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync("/console/audit?actor=manager:1");
        var closes = admin.Locator("#audit tbody tr", new() { HasText = "trade.close" });
        // The remainder kept its ticket: the partial close (5 = 0.05 lots) and the final close (0 = the rest) are both there.
        Assert.Equal(ticket, restTicket);
        var ofTicket = closes.Filter(new() { HasText = $"\"Ticket\":{ticket}" });
        await Expect(ofTicket).ToHaveCountAsync(2);
        await Expect(ofTicket.Filter(new() { HasText = "\"Volume\":5," })).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(admin, "audit");
    }

    [Fact]
    public async Task A_pending_order_is_cancelled_from_the_console()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Console Orders", "orders@example.com", deposit: 10_000);
        var order = (await api.CallAsync("MngOpenPendingTrade", new { login, cmd = 2, volume = 10, symbol = "EURUSD", open_price = 1.05m }))
            .GetProperty("order").GetInt64();
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync($"/console/positions?login={login}");
        await Expect(page.Locator($"#orders tr[data-ticket='{order}']")).ToBeVisibleAsync();
        await page.GotoAsync($"/console/trades/{order}");
        await page.ClickAsync("#cancel-order");
        await Expect(page.Locator(".notice")).ToContainTextAsync($"order {order} cancelled");
        await page.GotoAsync($"/console/positions?login={login}");
        await Expect(page.Locator("#orders tbody tr")).ToHaveCountAsync(0);
    }
}
