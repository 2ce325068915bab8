using Dealwire.Testing;
using Microsoft.Playwright;

namespace Dealwire.Console.Tests;

/// <summary>Launching Debian's chromium, signing in, screenshots into docs/console.</summary>
public static class ConsoleBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long an expectation waits for the page (live data included) before it fails.</summary>
    public const float ExpectTimeoutMs = 30_000;

    /// <summary>Flags without which chromium reaches for Google's hosts on this closed network (see the machine notes).</summary>
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (scripts/setup.sh does)");
        // Playwright's 5 s default is too short on a 2-core CI machine at load 30: a sign-in once rendered its heading
        // after that. An expectation is a maximum, so a healthy run does not wait longer.
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = Flags });
        return (playwright, browser);
    }

    public static async Task<string> IssueKeyAsync(DealwireProcess server, string name, string groups)
    {
        var key = await DealwireCli.RunAsync("key", "issue", "--manager", name, "--groups", groups, "--data-dir", server.DataDir);
        Assert.True(key.ExitCode == 0, key.ToString());
        return key.StandardOutput.Trim();
    }

    public static async Task SignInAsync(IPage page, string credential)
    {
        await page.GotoAsync("/console");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.FillAsync("#credential", credential);
        await page.ClickAsync("#signin");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Accounts");
    }

    /// <summary>A full-page screenshot into docs/console/<paramref name="name"/>.png of the repository (what docs/console.md shows).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(DocsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DocsDirectory, name + ".png"), FullPage = true });
    }

    private static string DocsDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dealwire.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "docs", "console");
        }
    }
}
