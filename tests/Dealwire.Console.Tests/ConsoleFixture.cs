using Dealwire.Testing;
using Microsoft.Playwright;

namespace Dealwire.Console.Tests;

/// <summary>
/// One real <c>dealwire serve</c> (fixed prices) and one headless Debian chromium, shared by the console tests.
/// Two manager keys: <see cref="DeskKey"/> sees every group, <see cref="NarrowKey"/> only <c>TestGroup</c>.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string NarrowGroup = "TestGroup";

    public DealwireProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string DeskKey { get; private set; } = "";

    public string NarrowKey { get; private set; } = "";

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                DeskKey = await ConsoleBrowser.IssueKeyAsync(server, "desk", "*");
                NarrowKey = await ConsoleBrowser.IssueKeyAsync(server, "narrow", NarrowGroup);
            },
        }.WithFixedPrices();
        Server = await DealwireProcess.StartAsync(options);
        await Server.WaitUntilPricedAsync();
        (_playwright, Browser) = await ConsoleBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies) signed in with <paramref name="credential"/>.</summary>
    public async Task<IPage> SignInAsync(string credential)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Server.HttpAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, credential);
        return page;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
