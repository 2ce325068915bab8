using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary><c>dealwire key issue|revoke</c> run as a real process.</summary>
[Trait("Category", "Slow")] // a dealwire CLI process per call
public sealed class KeyCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> IssueAsync(params string[] extra)
    {
        var result = await DealwireCli.RunAsync(["key", "issue", "--data-dir", _dir.Path, .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
    }

    [Fact]
    public async Task Prints_a_key_the_store_finds_with_its_name_and_group_mask()
    {
        var secret = await IssueAsync("--manager", "alice", "--groups", "demo*");

        Assert.StartsWith("dwk_", secret);
        var key = new ManagerKeyStore(_dir.Path).Find(secret);
        Assert.NotNull(key);
        Assert.Equal(("alice", "demo*"), (key.Name, key.GroupMask));
        // Only the hash is stored.
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(_dir.Path, "keys", "manager-keys.json")));
    }

    [Fact]
    public async Task Issuing_again_replaces_the_old_key_and_keeps_the_manager_id()
    {
        var first = await IssueAsync("--manager", "bob");
        await IssueAsync("--manager", "carol");
        var second = await IssueAsync("--manager", "bob");

        var store = new ManagerKeyStore(_dir.Path);
        Assert.Null(store.Find(first));
        var bob = store.Find(second)!;
        Assert.Equal(("*", 1L), (bob.GroupMask, bob.ManagerId));
        Assert.Equal(2, store.Keys.Count);
    }

    [Fact]
    public async Task Revoke_deletes_the_key_and_an_unknown_name_fails()
    {
        var dave = await IssueAsync("--manager", "dave");
        var erin = await IssueAsync("--manager", "erin");

        var revoked = await DealwireCli.RunAsync("key", "revoke", "--manager", "dave", "--data-dir", _dir.Path);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var store = new ManagerKeyStore(_dir.Path);
        Assert.Null(store.Find(dave));
        Assert.NotNull(store.Find(erin));

        var again = await DealwireCli.RunAsync("key", "revoke", "--manager", "dave", "--data-dir", _dir.Path);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("No Manager API key for 'dave'", again.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "Option '--manager' is required")]
    [InlineData(new[] { "--manager", " " }, "--manager must not be empty")]
    [InlineData(new[] { "--manager" }, "Required argument missing for option: '--manager'")]
    public async Task Bad_arguments_fail_with_a_clear_error(string[] extra, string message)
    {
        var result = await DealwireCli.RunAsync(["key", "issue", "--data-dir", _dir.Path, .. extra]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "keys", "manager-keys.json")));
    }
}
