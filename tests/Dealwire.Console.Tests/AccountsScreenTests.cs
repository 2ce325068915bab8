using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Screen 1 (accounts) and 3 (balance operations) in chromium: sign in with a manager key, search, open the card,
/// book a deposit through the confirmation step, change leverage and flags; each change is an engine command.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class AccountsScreenTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_manager_finds_an_account_deposits_with_confirmation_and_the_card_shows_the_new_balance()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Console Findme", "findme@example.com");
        var page = await fixture.SignInAsync(fixture.DeskKey);

        await page.FillAsync("#q", "findme@");
        await page.ClickAsync("#account-search button");
        var rows = page.Locator("#accounts tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-login", login.ToString());
        await ConsoleBrowser.ScreenshotAsync(page, "accounts");

        await rows.First.Locator("a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Account {login}");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("0.00");

        await page.SelectOptionAsync("#operation", "deposit");
        await page.FillAsync("#amount", "1250.50");
        await page.FillAsync("#comment", "console deposit");
        await page.ClickAsync("#balance-review");
        await Expect(page.Locator("#confirm-amount")).ToContainTextAsync("1,250.50");
        await ConsoleBrowser.ScreenshotAsync(page, "balance-confirm");
        var confirm = page.Locator("#balance-confirm form");
        var fields = page.APIRequest.CreateFormData();
        foreach (var name in new[] { "__csrf", "operation", "amount", "comment", "key" })
        {
            fields.Set(name, await confirm.Locator($"input[name='{name}']").InputValueAsync());
        }
        await page.ClickAsync("#balance-confirm-button");

        await Expect(page.Locator(".notice")).ToContainTextAsync("Deposit of 1,250.50 booked");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("1,250.50");
        await Expect(page.Locator("#equity")).ToHaveTextAsync("1,250.50");

        // The confirmation posted again (a double click, a browser retry) carries the same idempotency key: booked once.
        var repeat = await page.APIRequest.PostAsync($"/console/accounts/{login}/balance/confirm", new() { Form = fields, MaxRedirects = 0 });
        Assert.Equal(302, repeat.Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#balance")).ToHaveTextAsync("1,250.50");
        var balance = await api.CallAsync("GetAccountByLogin", new { login });
        Assert.Equal(1250.50m, balance.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Leverage_read_only_and_disable_are_applied_and_a_bad_leverage_is_refused()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Console Flags", "flags@example.com", deposit: 100);
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync($"/console/accounts/{login}");

        await page.FillAsync("#leverage", "200");
        await page.ClickAsync("#set-leverage");
        await Expect(page.Locator(".notice")).ToContainTextAsync("leverage changed");
        await Expect(page.Locator("#profile")).ToContainTextAsync("1:200");

        await page.ClickAsync("#toggle-readonly");
        await Expect(page.Locator("#profile")).ToContainTextAsync("read-only");
        await page.ClickAsync("#toggle-enabled");
        await Expect(page.Locator("#profile")).ToContainTextAsync("disabled");
        await ConsoleBrowser.ScreenshotAsync(page, "account-card");

        var account = await api.CallAsync("GetAccountByLogin", new { login });
        Assert.Equal(200, account.GetProperty("leverage").GetInt32());

        // Out of range: refused with a stable code, nothing submitted.
        await page.EvaluateAsync("() => { const i = document.querySelector('#leverage'); i.removeAttribute('max'); i.value = '20000'; }");
        await page.ClickAsync("#set-leverage");
        await Expect(page.Locator(".error")).ToContainTextAsync("invalid_leverage");
        await Expect(page.Locator("#profile")).ToContainTextAsync("1:200");
    }

    [Fact]
    public async Task Password_reset_lets_the_trader_sign_in_with_the_new_password()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Console Password", "password@example.com");
        var page = await fixture.SignInAsync(fixture.DeskKey);
        await page.GotoAsync($"/console/accounts/{login}");
        await page.FillAsync("#new-password", "fresh-secret-9");
        await page.ClickAsync("#reset-password");
        await Expect(page.Locator(".notice")).ToContainTextAsync("password reset");

        var auth = await api.CallAsync("AuthUser", new { login, password = "fresh-secret-9" });
        Assert.Contains("token", auth.GetRawText(), StringComparison.Ordinal);
    }
}
