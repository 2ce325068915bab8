using System.Text.Json;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.ManagerApi.Tests.EndToEnd;

/// <summary>
/// A key changed on disk while its sessions are open (issue #11, item 2), against the real process and CLI:
/// re-issuing or revoking closes them with <c>{"error":"unauthorized"}</c>; a mask narrowed in the manager record (same
/// secret, `dealwire manager update`) applies to them at once.
/// </summary>
[Trait("Category", "Slow")] // dealwire CLI processes that change keys on disk
[Collection(ManagerProcessCollection.Name)]
public sealed class KeyChangeEndToEndTests(ManagerProcessFixture fixture)
{
    /// <summary>The key watch polls every second; a change reaches sessions well within this.</summary>
    private const int WithinMs = 10_000;

    [Fact]
    public async Task Reissuing_a_key_with_a_narrower_mask_closes_the_sessions_of_the_old_key()
    {
        var old = await ManagerProcessFixture.IssueKeyAsync(fixture.Server, "desk-reissue", "*");
        await using var c = await fixture.ConnectAsync();
        await c.AuthAsync(old);
        Assert.True(await SeesAsync(c, ManagerProcessFixture.NettingLogin));

        var narrowed = await ManagerProcessFixture.IssueKeyAsync(fixture.Server, "desk-reissue", "demo");
        await ExpectClosedAsUnauthorizedAsync(c);

        await using var again = await fixture.ConnectAsync();
        Assert.Equal("auth_failed", (await again.AuthAsync(old)).GetProperty("error").GetString());
        await using var fresh = await fixture.ConnectAsync();
        await fresh.AuthAsync(narrowed);
        Assert.False(await SeesAsync(fresh, ManagerProcessFixture.NettingLogin));
        Assert.True(await SeesAsync(fresh, ManagerProcessFixture.HedgingLogin));
    }

    [Fact]
    public async Task Revoking_a_key_closes_its_sessions_and_leaves_other_managers_alone()
    {
        var doomed = await ManagerProcessFixture.IssueKeyAsync(fixture.Server, "desk-revoke", "*");
        var bystanderKey = await ManagerProcessFixture.IssueKeyAsync(fixture.Server, "desk-bystander", "*");
        await using var c = await fixture.ConnectAsync();
        await c.AuthAsync(doomed);
        await using var bystander = await fixture.ConnectAsync();
        await bystander.AuthAsync(bystanderKey);

        var result = await DealwireCli.RunAsync("key", "revoke", "--manager", "desk-revoke", "--data-dir", fixture.Server.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        await ExpectClosedAsUnauthorizedAsync(c);
        await fixture.Server.WaitForOutputAsync("the key of manager 'desk-revoke' was revoked", TimeSpan.FromSeconds(5));

        // The other manager's session still answers (the sentinel of "left alone").
        Assert.True(await SeesAsync(bystander, ManagerProcessFixture.HedgingLogin));
        await using var again = await fixture.ConnectAsync();
        Assert.Equal("auth_failed", (await again.AuthAsync(doomed)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_mask_narrowed_in_the_manager_record_applies_to_the_open_session_of_its_key_at_once()
    {
        var secret = await ManagerProcessFixture.IssueKeyAsync(fixture.Server, "desk-edit", "*");
        await using var c = await fixture.ConnectAsync();
        await c.AuthAsync(secret);
        Assert.True(await SeesAsync(c, ManagerProcessFixture.NettingLogin));

        // An operator narrows the manager's mask in its record (the key, i.e. the secret, is unchanged): since managers
        // are records, a key's mask and rights are the record's, re-read at every command.
        var update = await DealwireCli.RunAsync("manager", "update", "--name", "desk-edit", "--groups", "demo", "--data-dir", fixture.Server.DataDir);
        Assert.True(update.ExitCode == 0, update.ToString());

        var deadline = DateTime.UtcNow.AddMilliseconds(WithinMs);
        while (await SeesAsync(c, ManagerProcessFixture.NettingLogin))
        {
            Assert.True(DateTime.UtcNow < deadline, "the narrowed mask did not reach the open session");
            await Task.Delay(100);
        }
        Assert.True(await SeesAsync(c, ManagerProcessFixture.HedgingLogin));
    }

    /// <summary>Whether get_accounts (seed layout) lists <paramref name="login"/>.</summary>
    private static async Task<bool> SeesAsync(ManagerClient c, long login)
    {
        var accounts = (await c.CallAsync("get_accounts")).At("success.accounts.response.data").EnumerateArray();
        return accounts.Any(a => a.GetProperty("id").GetString() == login.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task ExpectClosedAsUnauthorizedAsync(ManagerClient c)
    {
        var notice = await c.WaitForAsync(m => m.TryGetProperty("message_response_id", out var r) && r.ValueKind == JsonValueKind.Null
            && m.GetProperty("message_type").TryGetProperty("server_message", out var s) && s.TryGetProperty("error", out _), WithinMs);
        Assert.Equal("unauthorized", ManagerClient.ServerMessage(notice).GetProperty("error").GetString());
        Assert.True(await c.ClosedWithinAsync(WithinMs), "the connection stayed open after its key was withdrawn");
    }
}
