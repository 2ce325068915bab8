using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 8: an account's ledger over more than one page is paged with the store's keyset cursor (no row twice, none
/// missed), the CSV and Excel exports hold every row of the selection, and a narrow mask sees none of another group's rows.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class HistoryScreenTests(ConsoleFixture fixture)
{
    private const int Deposits = 55; // more than one page (Console:PageSize is 50)

    [Fact]
    public async Task The_ledger_pages_by_cursor_and_the_csv_export_holds_every_row()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "History Holder", "history@example.com");
        for (var i = 1; i <= Deposits; i++) await api.CallAsync("BalanceInSync", new { login, amount = i, comment = i == 1 ? "=cmd|calc" : "deposit " + i });

        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync($"/console/history?view=ledger&login={login}");
        var rows = page.Locator("#history-ledger tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        var first = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.id)");
        await ConsoleBrowser.ScreenshotAsync(page, "history");
        await page.ClickAsync("#history-next");
        await Expect(rows).ToHaveCountAsync(Deposits - 50);
        var second = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.id)");
        Assert.Empty(first.Intersect(second));
        await Expect(page.Locator("#history-next")).ToHaveCountAsync(0);

        var href = await page.Locator("#history-export").GetAttributeAsync("href");
        var csv = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        var lines = (await csv.TextAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal(Deposits + 1, lines.Length);
        Assert.StartsWith("id,time,login,kind,amount", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith(",'=cmd|calc", StringComparison.Ordinal)); // a formula-looking comment is defused
        Assert.Equal(Enumerable.Range(1, Deposits).Sum(), lines.Skip(1).Sum(l => decimal.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)));

        // The same selection as an Excel workbook: the same rows, numeric money, a total of the amounts.
        var xlsxHref = await page.Locator("#history-export-xlsx").GetAttributeAsync("href");
        var xlsx = await page.APIRequest.GetAsync(xlsxHref!);
        Assert.Equal(200, xlsx.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Headers["content-type"]);
        var sheet = XlsxSheet.Read(await xlsx.BodyAsync());
        Assert.Equal(Deposits + 2, sheet.Count); // header, rows, total
        Assert.Equal(lines[0].Split(','), sheet[0].Select(c => c.Text));
        Assert.All(sheet.Skip(1).SkipLast(1), r => Assert.True(r[4].Numeric));
        Assert.Contains(sheet, r => r[8].Text == "=cmd|calc" && !r[8].Numeric); // an inline string: text, never a formula
        Assert.Equal("Total:", sheet[^1][0].Text);
        Assert.Equal(Enumerable.Range(1, Deposits).Sum(), decimal.Parse(sheet[^1][4].Text, System.Globalization.CultureInfo.InvariantCulture));

        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync($"/console/history?view=ledger&login={login}");
        await Expect(narrow.Locator("#history-ledger")).ToBeVisibleAsync();
        await Expect(narrow.Locator("#history-ledger tbody tr")).ToHaveCountAsync(0);
    }
}
