using Dealwire.Testing;
using static Microsoft.Playwright.Assertions;

namespace Dealwire.Console.Tests;

/// <summary>
/// Online sessions across protocols: a Server API connection is listed with its actor and address, an administrator
/// disconnects it from the console (the socket is closed by the server, the audit log has the disconnect), and a
/// narrow manager sees neither another staff member's connection nor a way to close it.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OnlineSessionsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_administrator_sees_and_disconnects_a_Server_API_connection_and_the_disconnect_is_audited()
    {
        var client = await LineClient.ConnectAsync(fixture.Server.ServerApiPort);
        await using var api = new ServerApiCalls(client, fixture.Server.AdminToken);
        await api.AddAccountAsync("demo", "Online Check", "online@example.com");
        var port = ":" + client.LocalEndPointText().Split(':')[^1];

        var narrow = await fixture.SignInAsync(fixture.NarrowKey);
        await narrow.GotoAsync("/console/sessions");
        await Expect(narrow.Locator("#online tr[data-protocol='Console']").First).ToBeVisibleAsync();
        await Expect(narrow.Locator("#online tr[data-protocol='Server API']", new() { HasText = port })).ToHaveCountAsync(0);

        var admin = await fixture.SignInAsync(fixture.Server.AdminToken);
        await admin.GotoAsync("/console/sessions");
        var row = admin.Locator("#online tr[data-protocol='Server API']", new() { HasText = port });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("admin:");
        await Expect(admin.Locator("#online tr[data-protocol='Console']", new() { HasText = "narrow" }).First).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(admin, "sessions");

        await row.Locator("button.disconnect").ClickAsync();
        await Expect(admin.Locator(".notice")).ToContainTextAsync("Closed Server API session");
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the server did not close the disconnected connection");
        await Expect(admin.Locator("#online tr[data-protocol='Server API']", new() { HasText = port })).ToHaveCountAsync(0);

        var audited = admin.Locator("#audit-events tbody tr", new() { HasText = port });
        await ConsoleSignInAuditTests.ReloadUntilAsync(admin, "/console/audit/events?action=ConsoleDisconnect", async () => await audited.CountAsync() > 0);
        await Expect(audited.First).ToContainTextAsync("SUCCESS");
    }

    [Fact]
    public async Task Disconnect_without_the_anti_forgery_token_is_refused()
    {
        var page = await fixture.SignInAsync(fixture.DeskKey);
        var form = page.APIRequest.CreateFormData();
        form.Set("protocol", "Server API");
        form.Set("id", "1");
        var post = await page.APIRequest.PostAsync("/console/sessions/disconnect", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, post.Status);
        Assert.StartsWith("csrf_invalid", await post.TextAsync(), StringComparison.Ordinal);
    }
}
