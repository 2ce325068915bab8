using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests;

/// <summary><c>dealwire key issue|revoke --integration</c> run as a real process, read back through <see cref="IntegrationKeyStore"/>.</summary>
[Trait("Category", "Slow")] // a dealwire CLI process per call
public sealed class IntegrationKeyCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dealwire-keys-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> IssueAsync(params string[] extra)
    {
        var result = await DealwireCli.RunAsync(["key", "issue", "--data-dir", _dir, .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
    }

    [Fact]
    public async Task Issue_prints_the_secret_once_and_stores_only_its_hash_with_the_mask()
    {
        var secret = await IssueAsync("--integration", "crm", "--groups", "demo*,!demo-vip");

        Assert.StartsWith("dwi_", secret);
        var key = new IntegrationKeyStore(_dir).Find(secret);
        Assert.NotNull(key);
        Assert.Equal(("crm", "demo*,!demo-vip"), (key.Name, key.GroupMask));
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(_dir, "keys", "integration-keys.json")));
        // Integration keys are their own: a manager or feeder store does not know them.
        Assert.Null(new ManagerKeyStore(_dir).Find(secret));
    }

    [Fact]
    public async Task Issuing_again_replaces_the_key_and_revoke_deletes_it()
    {
        var first = await IssueAsync("--integration", "risk");
        var second = await IssueAsync("--integration", "risk");
        var store = new IntegrationKeyStore(_dir);
        Assert.Null(store.Find(first));
        Assert.Equal("*", store.Find(second)!.GroupMask);

        var revoked = await DealwireCli.RunAsync("key", "revoke", "--integration", "risk", "--data-dir", _dir);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Null(store.Find(second));
        var again = await DealwireCli.RunAsync("key", "revoke", "--integration", "risk", "--data-dir", _dir);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("No integration key for 'risk'", again.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--integration", " " }, "--integration must not be empty")]
    [InlineData(new[] { "--integration", "x", "--manager", "y" }, "--manager and --integration cannot be used together")]
    public async Task Bad_arguments_fail_with_a_clear_error(string[] extra, string message)
    {
        var result = await DealwireCli.RunAsync(["key", "issue", "--data-dir", _dir, .. extra]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.False(File.Exists(Path.Combine(_dir, "keys", "integration-keys.json")));
    }
}
