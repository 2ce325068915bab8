using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// The console's security in chromium: the group mask applies to every screen and every direct URL, a mutating
/// request without the session's anti-forgery token is refused before it reaches the engine, a bad credential is
/// refused, and the session cookie is HttpOnly and SameSite=Strict.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SecurityTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_manager_with_a_narrow_mask_sees_only_its_groups_on_every_screen_and_url()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var inside = await api.AddAccountAsync(ConsoleFixture.NarrowGroup, "Mask Inside", "mask-inside@example.com", deposit: 5_000);
        var outside = await api.AddAccountAsync("demo", "Mask Outside", "mask-outside@example.com", deposit: 5_000);
        var outsideTicket = await api.OpenAsync(outside, "EURUSD", 10);
        var insideTicket = await api.OpenAsync(inside, "EURUSD", 10);

        var page = await fixture.SignInAsync(fixture.NarrowKey);
        await page.FillAsync("#q", "mask-");
        await page.ClickAsync("#account-search button");
        await Expect(page.Locator("#accounts tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#accounts tbody tr").First).ToHaveAttributeAsync("data-login", inside.ToString());
        await Expect(page.Locator("#group option")).ToHaveTextAsync(["all visible", ConsoleFixture.NarrowGroup]);
        await ConsoleBrowser.ScreenshotAsync(page, "accounts-narrow");

        var hidden = await page.GotoAsync($"/console/accounts/{outside}");
        Assert.Equal((int)HttpStatusCode.NotFound, hidden!.Status);
        await Expect(page.Locator(".error")).ToContainTextAsync("account_not_found");

        await page.GotoAsync("/console/positions");
        await Expect(page.Locator($"#positions tr[data-ticket='{insideTicket}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#positions tr[data-ticket='{outsideTicket}']")).ToHaveCountAsync(0);
        var hiddenTrade = await page.GotoAsync($"/console/trades/{outsideTicket}");
        await Expect(page.Locator(".error")).ToContainTextAsync("trade_not_open");

        // A hand-made POST against the hidden account (valid token, valid session) is refused and books nothing.
        var token = await CsrfTokenAsync(page);
        var post = await page.APIRequest.PostAsync($"/console/accounts/{outside}/balance/confirm", new()
        {
            Form = FormOf(page, ("__csrf", token), ("operation", "deposit"), ("amount", "10"), ("comment", ""), ("key", "mask-1")),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.NotFound, post.Status);
        var account = await api.CallAsync("GetAccountByLogin", new { login = outside });
        Assert.Equal(5_000m, account.GetProperty("balance").GetDecimal());
        Assert.NotNull(hiddenTrade);
    }

    [Fact]
    public async Task A_mutating_request_without_or_with_a_wrong_anti_forgery_token_is_refused_and_books_nothing()
    {
        await using var api = await ServerApiCalls.ConnectAsync(fixture.Server);
        var login = await api.AddAccountAsync("demo", "Csrf Target", "csrf@example.com", deposit: 100);
        var page = await fixture.SignInAsync(fixture.DeskKey);
        var token = await CsrfTokenAsync(page);

        // The browser's own cookie goes with these requests (same context): only the token is missing or wrong.
        foreach (var sent in new[] { null, "forged-token", token + "x" })
        {
            var fields = new List<(string, string)> { ("operation", "deposit"), ("amount", "999"), ("comment", ""), ("key", "csrf-" + sent) };
            if (sent is not null) fields.Add(("__csrf", sent));
            var response = await page.APIRequest.PostAsync($"/console/accounts/{login}/balance/confirm", new() { Form = FormOf(page, fields.ToArray()), MaxRedirects = 0 });
            Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
            Assert.StartsWith("csrf_invalid", await response.TextAsync(), StringComparison.Ordinal);
        }

        // The same request with the right token is booked: the refusals above were for the token alone.
        var ok = await page.APIRequest.PostAsync($"/console/accounts/{login}/balance/confirm", new()
        {
            Form = FormOf(page, ("__csrf", token), ("operation", "deposit"), ("amount", "1"), ("comment", ""), ("key", "csrf-ok")),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.Redirect, ok.Status);
        var account = await api.CallAsync("GetAccountByLogin", new { login });
        Assert.Equal(101m, account.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site_strict_and_a_wrong_key_is_refused()
    {
        var page = await fixture.SignInAsync(fixture.DeskKey);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "dw_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/console", cookie.Path);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => String(document.cookie.match(/dw_console/) ?? undefined)"));

        var stranger = await fixture.Browser.NewPageAsync(new() { BaseURL = fixture.Server.HttpAddress.ToString() });
        await stranger.GotoAsync("/console/accounts");
        await Expect(stranger.Locator("h1")).ToHaveTextAsync("Sign in");
        await stranger.FillAsync("#credential", "dwk_not-a-real-key");
        await stranger.ClickAsync("#signin");
        await Expect(stranger.Locator(".error")).ToContainTextAsync("auth_failed");
        await ConsoleBrowser.ScreenshotAsync(stranger, "signin");
    }

    private static async Task<string> CsrfTokenAsync(IPage page) =>
        await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content") ?? throw new InvalidOperationException("no csrf meta");

    private static IFormData FormOf(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }
}
