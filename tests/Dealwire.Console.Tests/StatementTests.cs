using System.Globalization;
using Dealwire.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// The account card's equity history and the daily statement, from end-of-day rows a real rollover wrote: a server
/// whose day ends a few seconds after a restart (Engine:RolloverTime), an account with a deposit, a closed trade and a
/// withdrawal that day. The statement shows the day's movements by kind and the end-of-day figures, agreeing with the
/// Server API's balance; the CSV export carries the same line; the card draws the equity chart from the same rows.
/// Its own server: the rollover time is a start-up setting.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StatementTests
{
    [Fact]
    public async Task A_closed_day_shows_on_the_equity_chart_and_in_the_daily_statement_and_its_csv()
    {
        var key = "";
        var options = new DealwireProcessOptions { BeforeFirstStart = async s => key = await ConsoleBrowser.IssueKeyAsync(s, "desk", "*") }.WithFixedPrices();
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();
        long login;
        decimal closedProfit;
        await using (var api = await ServerApiCalls.ConnectAsync(server))
        {
            login = await api.AddAccountAsync("demo", "Statement Holder", "statement@example.com", deposit: 1_000m);
            var ticket = await api.OpenAsync(login, "EURUSD", 10);
            await api.CallAsync("MngCloseTradeSync", new { login, order = ticket });
            // Whatever the close booked (result, commission, swap) is the day's closed P/L.
            closedProfit = (await api.CallAsync("GetAccountByLogin", new { login })).GetProperty("balance").GetDecimal() - 1_000m;
            await api.CallAsync("BalanceOutSync", new { login, amount = -100m });
        }

        // The day ends a few seconds after the restart, whatever the time of day (not across midnight: then it is tomorrow's).
        if (DateTimeOffset.UtcNow.TimeOfDay > new TimeSpan(23, 59, 30)) await Task.Delay(TimeSpan.FromSeconds(35));
        var rollover = DateTimeOffset.UtcNow.AddSeconds(4);
        options.Environment["DEALWIRE__Engine__RolloverTime"] = rollover.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        await server.RestartAsync();
        await server.WaitUntilPricedAsync();

        var (playwright, browser) = await ConsoleBrowser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new() { BaseURL = server.HttpAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
            var page = await context.NewPageAsync();
            await ConsoleBrowser.SignInAsync(page, key);
            var day = page.Locator("#statement tbody tr");
            await ConsoleSignInAuditTests.ReloadUntilAsync(page, $"/console/accounts/{login}/statement", async () => await day.CountAsync() == 1);

            var balance = 900m + closedProfit;
            await Expect(day.Locator(".deposits")).ToHaveTextAsync("1,000.00");
            await Expect(day.Locator(".withdrawals")).ToHaveTextAsync("-100.00");
            await Expect(day.Locator(".closed")).ToHaveTextAsync(Money(closedProfit));
            await Expect(day.Locator(".opening")).ToHaveTextAsync("0.00");
            await Expect(day.Locator(".balance")).ToHaveTextAsync(Money(balance));
            await Expect(day.Locator(".equity")).ToHaveTextAsync(Money(balance));
            await Expect(day).Not.ToHaveClassAsync("refused");
            await ConsoleBrowser.ScreenshotAsync(page, "statement");

            var csv = await page.APIRequest.GetAsync($"/console/accounts/{login}/statement.csv");
            Assert.Equal(200, csv.Status);
            var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("day,login,currency,opening_balance,deposits,withdrawals,", lines[0], StringComparison.Ordinal);
            var cells = lines[1].Split(',');
            Assert.Equal(login.ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal(1_000m, decimal.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.Equal(-100m, decimal.Parse(cells[5], CultureInfo.InvariantCulture));
            Assert.Equal(closedProfit, decimal.Parse(cells[7], CultureInfo.InvariantCulture));
            Assert.Equal(balance, decimal.Parse(cells[9], CultureInfo.InvariantCulture));

            var xlsx = await page.APIRequest.GetAsync(await page.Locator("#statement-export-xlsx").GetAttributeAsync("href") ?? "");
            Assert.Equal(200, xlsx.Status);
            var sheet = XlsxSheet.Read(await xlsx.BodyAsync());
            Assert.Equal(2, sheet.Count);
            Assert.Equal(lines[0].Split(','), sheet[0].Select(c => c.Text));
            Assert.Equal(balance, decimal.Parse(sheet[1][9].Text, CultureInfo.InvariantCulture));
            Assert.True(sheet[1][9].Numeric);
            Assert.Equal(1_000m, decimal.Parse(sheet[1][4].Text, CultureInfo.InvariantCulture));

            await page.GotoAsync($"/console/accounts/{login}");
            await Expect(page.Locator("#equity-chart circle.equity-point")).ToHaveCountAsync(1);
            await Expect(page.Locator("#equity-chart circle.equity-point title")).ToContainTextAsync("equity " + Money(balance));
            await ConsoleBrowser.ScreenshotAsync(page, "account-equity");

            // Without see_accounts_balance there is no statement (it lists balance operations).
            var limited = await browser.NewContextAsync(new() { BaseURL = server.HttpAddress.ToString() });
            var other = await limited.NewPageAsync();
            await ConsoleBrowser.SignInAsync(other, await RestrictedTokens.IssueAsync(server, "see_accounts"));
            var refused = await other.GotoAsync($"/console/accounts/{login}/statement");
            Assert.Equal(403, refused!.Status);
            var refusedCsv = await other.APIRequest.GetAsync($"/console/accounts/{login}/statement.csv");
            Assert.Equal(403, refusedCsv.Status);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    private static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);
}
