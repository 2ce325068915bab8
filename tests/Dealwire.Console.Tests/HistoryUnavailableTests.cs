using Dealwire.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// A real server whose history database cannot be reached (PostgreSQL on a port nothing listens on): trading goes on,
/// and the history screen, after the read-your-writes wait, answers 503 on the console's own page with the store's
/// reason, instead of an empty 500 from the web host; the Server API answers the spec's <c>TRADE_HISTORY_ERROR</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class HistoryUnavailableTests : IAsyncLifetime
{
    private OwnConsoleServer _own = null!;

    private DealwireProcess Server => _own.Server;

    public async Task InitializeAsync() => _own = await OwnConsoleServer.StartAsync("desk", options =>
    {
        options.Environment["DEALWIRE__History__Provider"] = "PostgreSql";
        options.Environment["DEALWIRE__History__ConnectionString"] =
            $"Host=127.0.0.1;Port={FreePorts.Take(1)[0]};Username=nobody;Password=nothing;Database=none;Timeout=1";
    });

    public async Task DisposeAsync() => await _own.DisposeAsync();

    [Fact]
    public async Task The_history_screen_says_why_the_store_cannot_answer_with_503()
    {
        // Trading needs no history database: the account and its deposit are booked.
        await using var api = await ServerApiCalls.ConnectAsync(Server);
        var login = await api.AddAccountAsync("demo", "No History", "nohistory@example.com", deposit: 100);

        var page = await _own.SignedInPageAsync();
        var response = await page.GotoAsync("/console/history?view=ledger", new() { Timeout = 60_000 });
        Assert.Equal(503, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("History unavailable");
        await Expect(page.Locator(".error")).ToContainTextAsync("history unavailable: the history store is at sequence 0, behind the committed");
        await Expect(page.Locator(".error")).ToContainTextAsync("try again later");

        // The Server API over a raw socket: the spec's TRADE_HISTORY_ERROR with the same reason, and the connection goes on.
        await using var raw = await LineClient.ConnectAsync(Server.ServerApiPort);
        await raw.SendAsync($"{{\"command\":\"GetTradesHistoryByLogin\",\"data\":{{\"login\":{login},\"from\":0,\"to\":4000000000}},\"extID\":\"h1\",\"__token\":\"{Server.AdminToken}\"}}");
        var line = await raw.WaitForAsync(l => l.Contains("\"extID\":\"h1\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Matches("^\\{\"extID\":\"h1\",\"status\":500,\"error\":\"TRADE_HISTORY_ERROR\",\"message\":\"the history store is at sequence 0, behind the committed [0-9]+; try again later\"\\}$", line);
        await raw.SendAsync($"{{\"command\":\"GetAccountByLogin\",\"data\":{{\"login\":{login}}},\"extID\":\"h2\",\"__token\":\"{Server.AdminToken}\"}}");
        Assert.Contains("\"status\":200", await raw.WaitForAsync(l => l.Contains("\"extID\":\"h2\"", StringComparison.Ordinal), TimeSpan.FromSeconds(15)));

        // GetLogs after a write on the same connection waits for the audit log to hold it: it never answered while the
        // database was down; now the same error after the same wait.
        await raw.SendAsync($"{{\"command\":\"BalanceIn\",\"data\":{{\"login\":{login},\"amount\":1}},\"extID\":\"h3\",\"__token\":\"{Server.AdminToken}\"}}");
        Assert.Contains("\"status\":200", await raw.WaitForAsync(l => l.Contains("\"extID\":\"h3\"", StringComparison.Ordinal), TimeSpan.FromSeconds(15)));
        await raw.SendAsync($"{{\"command\":\"GetLogs\",\"data\":{{\"from\":0,\"to\":4000000000,\"limit\":10,\"offset\":0}},\"extID\":\"h4\",\"__token\":\"{Server.AdminToken}\"}}");
        Assert.Matches("^\\{\"extID\":\"h4\",\"status\":500,\"error\":\"TRADE_HISTORY_ERROR\",\"message\":\"the history store is at sequence 0, behind the committed [0-9]+; try again later\"\\}$",
            await raw.WaitForAsync(l => l.Contains("\"extID\":\"h4\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
    }
}
