using System.Globalization;
using System.Text;
using Dealwire.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests.Scale;

/// <summary>
/// The console at desk scale: a real server seeded through the Server API (accounts in two groups, each funded and
/// holding positions on several symbols), then the list, positions, exposure and margin pages opened in chromium. The
/// test checks what must hold at any size — one page of rows reaches the browser, the totals count every seeded row —
/// and writes the pages' response times and weights (Navigation Timing, medians of several loads) with the load
/// average to a report (<c>DEALWIRE_CONSOLE_SCALE_REPORT</c>, default in the temp directory). It asserts no timing.
/// Size: <c>DEALWIRE_CONSOLE_SCALE_ACCOUNTS</c> (default 1 000) × <c>DEALWIRE_CONSOLE_SCALE_POSITIONS_PER_ACCOUNT</c>
/// (default 5); docs/console.md quotes a run at 10 000 × 5 = 50 000 positions.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ConsoleScaleTests
{
    private static readonly string[] Symbols = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "BTCUSD"];
    private const int Loads = 7;

    [Fact]
    public async Task Pages_stay_one_page_of_rows_at_scale_and_their_times_and_weights_are_reported()
    {
        var accounts = Env("DEALWIRE_CONSOLE_SCALE_ACCOUNTS", 1_000);
        var perAccount = Math.Min(Env("DEALWIRE_CONSOLE_SCALE_POSITIONS_PER_ACCOUNT", 5), Symbols.Length);
        var key = "";
        var options = new DealwireProcessOptions { BeforeFirstStart = async s => key = await ConsoleBrowser.IssueKeyAsync(s, "desk", "*") }.WithFixedPrices();
        // The seeding is one back office pushing tens of thousands of commands: above the per-connection default rate.
        options.Environment["DEALWIRE__ServerApi__CommandsPerSecond"] = "1000000";
        // 2 048 commands in flight on a shared 2-core machine: a Sync command may wait seconds for the engine; the seeding
        // must not lose positions to SYNC_TIMEOUT (whether a timed-out open happened is unknown, and the counts are exact).
        options.Environment["DEALWIRE__ServerApi__SyncTimeoutMs"] = "120000";
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();

        var report = new StringBuilder();
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        {
            var added = await PipelinedServerApi.RunParallelAsync(server, Enumerable.Range(0, accounts).Select(i => ("MngAddAccount", (object)new
            {
                group = i % 5 == 0 ? "TestGroup" : "demo", name = $"Scale Trader {i}", email = $"trader{i}@scale.example", password = "secret1", leverage = 100, enable = 1,
            })).ToList());
            Assert.All(added, r => Assert.Equal(200, r.Status));
            var logins = added.Select(r => r.Data.GetProperty("login").GetInt64()).ToList();
            var funded = await PipelinedServerApi.RunParallelAsync(server, logins.Select(login => ("BalanceInSync", (object)new { login, amount = 100_000m })).ToList());
            Assert.All(funded, r => Assert.Equal(200, r.Status));
            var opened = await PipelinedServerApi.RunParallelAsync(server, logins.SelectMany(login => Symbols.Take(perAccount).Select(symbol =>
                ("MngOpenTradeSync", (object)new { login, cmd = login % 2 == 0 ? 0 : 1, volume = 1, symbol, sl = 0, tp = 0 }))).ToList());
            Assert.All(opened, r => Assert.Equal(200, r.Status));
        }
        seeding.Stop();
        var commands = accounts * (2 + perAccount);
        report.Append(CultureInfo.InvariantCulture, $"Seeded {accounts} accounts and {accounts * perAccount} open positions ({commands} Server API commands, pipelined 256 deep on each of 8 connections) in {seeding.Elapsed.TotalSeconds:F1} s ({commands / seeding.Elapsed.TotalSeconds:F0} commands/s); load average {LoadAverage()}.\n\n");

        var (playwright, browser) = await ConsoleBrowser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new() { BaseURL = server.HttpAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
            var page = await context.NewPageAsync();
            await ConsoleBrowser.SignInAsync(page, key);

            // What must hold at any size: one page of rows, totals over everything.
            await page.GotoAsync("/console/accounts");
            await Expect(page.Locator("#accounts tbody tr")).ToHaveCountAsync(50);
            Assert.True(Total(await page.Locator(".pager").InnerTextAsync()) >= accounts);
            await page.GotoAsync("/console/accounts?q=trader7%40scale");
            await Expect(page.Locator("#accounts tbody tr")).ToHaveCountAsync(1);
            await page.GotoAsync("/console/positions");
            await Expect(page.Locator("#positions tbody tr")).ToHaveCountAsync(50);
            Assert.Equal(accounts * perAccount, Total(await page.Locator("#positions .pager").InnerTextAsync()));
            await page.GotoAsync("/console/exposure");
            await Expect(page.Locator("#exposure table").First.Locator("tbody tr")).ToHaveCountAsync(perAccount);

            report.Append("| Page | Rows matched | TTFB (server) ms | DOM ready ms | Transfer KB | HTML KB |\n|---|---|---|---|---|---|\n");
            var pages = new (string Url, string Matched)[]
            {
                ("/console/accounts", $"{accounts} accounts"),
                ("/console/accounts?q=trader7777%40scale", "1 (e-mail part)"),
                ("/console/accounts?q=Scale%20Trader%2099", "name part"),
                ("/console/accounts?group=TestGroup&page=20", $"{accounts / 5} (group), page 20"),
                ("/console/positions", $"{accounts * perAccount} positions"),
                ("/console/positions?symbol=EURUSD&page=100", $"{accounts} (symbol), page 100"),
                ("/console/exposure", "all, aggregated"),
                ("/console/margin", "accounts using margin"),
            };
            foreach (var (url, matched) in pages)
            {
                var samples = new List<double[]>();
                for (var i = 0; i <= Loads; i++)
                {
                    await page.GotoAsync(url);
                    var timing = await page.EvaluateAsync<double[]>(
                        "() => { const n = performance.getEntriesByType('navigation')[0]; return [n.responseStart - n.requestStart, n.domContentLoadedEventEnd - n.startTime, n.transferSize, n.decodedBodySize]; }");
                    if (i > 0) samples.Add(timing); // the first load warms the route and the browser
                }
                report.Append(CultureInfo.InvariantCulture,
                    $"| `{url}` | {matched} | {Median(samples, 0):F1} | {Median(samples, 1):F1} | {Median(samples, 2) / 1024:F1} | {Median(samples, 3) / 1024:F1} |\n");
            }
            report.Append(CultureInfo.InvariantCulture, $"\nMedians of {Loads} loads after one warm-up; load average after: {LoadAverage()}.\n");
            await page.GotoAsync("/console/positions");
            await ConsoleBrowser.ScreenshotAsync(page, "scale-positions");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }

        var path = Environment.GetEnvironmentVariable("DEALWIRE_CONSOLE_SCALE_REPORT") is { Length: > 0 } p ? p : Path.Combine(Path.GetTempPath(), "dealwire-console-scale.md");
        await File.WriteAllTextAsync(path, report.ToString());
    }

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    /// <summary>The row count of a pager ("12345 rows · page 1 of 247").</summary>
    private static int Total(string pager) => int.Parse(pager.Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static double Median(List<double[]> samples, int column)
    {
        var sorted = samples.Select(s => s[column]).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
