using System.Net;
using Dealwire.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Idle timeout (Console:IdleTimeout, 20 s here): after it the page goes back to sign-in saying the session expired,
/// a POST with the old cookie is refused with 401 and books nothing, and signing in again works.
/// </summary>
/// <remarks>
/// The timeout must outlast signing in and opening the account page on a loaded machine: with 5 s, a CI run at
/// load average 27 took longer than that between the two requests, and the account page was already the sign-in page.
/// </remarks>
[Trait("Category", "Slow")]
public sealed class ExpiredSessionTests : IAsyncLifetime
{
    private OwnConsoleServer _own = null!;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    public async Task InitializeAsync() =>
        _own = await OwnConsoleServer.StartAsync("sleepy", options => options.Environment["DEALWIRE__Console__IdleTimeout"] = IdleTimeout.ToString("c"));

    public async Task DisposeAsync() => await _own.DisposeAsync();

    [Fact]
    public async Task An_idle_session_expires_to_the_sign_in_page_and_its_cookie_no_longer_acts()
    {
        await using var api = await ServerApiCalls.ConnectAsync(_own.Server);
        var login = await api.AddAccountAsync("demo", "Idle Target", "idle@example.com", deposit: 100);
        var page = await _own.SignedInPageAsync();
        await page.GotoAsync($"/console/accounts/{login}");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("100.00");
        var token = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");

        // Idle past the timeout, counted from the page's last request (this is the behaviour under test: time must
        // pass without a request).
        await Task.Delay(IdleTimeout + TimeSpan.FromSeconds(1));

        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator(".error")).ToContainTextAsync("Your session expired");

        var form = page.APIRequest.CreateFormData();
        form.Set("__csrf", token!);
        form.Set("operation", "deposit");
        form.Set("amount", "50");
        form.Set("key", "idle-1");
        var post = await page.APIRequest.PostAsync($"/console/accounts/{login}/balance/confirm", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.Unauthorized, post.Status);
        Assert.StartsWith("session_expired", await post.TextAsync(), StringComparison.Ordinal);
        var account = await api.CallAsync("GetAccountByLogin", new { login });
        Assert.Equal(100m, account.GetProperty("balance").GetDecimal());

        await ConsoleBrowser.SignInAsync(page, _own.Key);
        await page.GotoAsync($"/console/accounts/{login}");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("100.00");
    }
}
