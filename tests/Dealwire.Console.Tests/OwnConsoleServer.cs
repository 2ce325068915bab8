using Dealwire.Testing;
using Microsoft.Playwright;

namespace Dealwire.Console.Tests;

/// <summary>
/// A <c>dealwire serve</c> of a test's own (a configuration the shared <see cref="ConsoleFixture"/> cannot have), a
/// headless chromium, and a manager key that sees every group.
/// </summary>
internal sealed class OwnConsoleServer : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private OwnConsoleServer(DealwireProcess server, IPlaywright playwright, IBrowser browser, string key)
    {
        Server = server;
        _playwright = playwright;
        Browser = browser;
        Key = key;
    }

    public DealwireProcess Server { get; }

    public IBrowser Browser { get; }

    /// <summary>The manager key (groups <c>*</c>) to sign in with.</summary>
    public string Key { get; }

    /// <param name="configure">Sets the server's configuration (its environment) before it starts.</param>
    public static async Task<OwnConsoleServer> StartAsync(string keyName, Action<DealwireProcessOptions> configure)
    {
        var key = "";
        var options = new DealwireProcessOptions { BeforeFirstStart = async s => key = await ConsoleBrowser.IssueKeyAsync(s, keyName, "*") };
        configure(options);
        var server = await DealwireProcess.StartAsync(options);
        try
        {
            var (playwright, browser) = await ConsoleBrowser.LaunchAsync();
            return new OwnConsoleServer(server, playwright, browser, key);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new page on this server, signed in with <see cref="Key"/>.</summary>
    public async Task<IPage> SignedInPageAsync()
    {
        var page = await Browser.NewPageAsync(new() { BaseURL = Server.HttpAddress.ToString() });
        await ConsoleBrowser.SignInAsync(page, Key);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }
}
