using System.Globalization;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Access ends when it should, on live connections too (issue #11, item 2), against the real process:
/// a connection's pushes end with its latest token, <c>nbf</c> in the future is refused, and user tokens
/// open only the account instance they were issued for.
/// </summary>
[Trait("Category", "Slow")] // waits in real time for tokens to expire; a CLI process
[Collection(RealServerCollection.Name)]
public sealed class AccessEndsEndToEndTests(RealServerFixture fixture)
{
    private static bool IsQuote(string line) => line.StartsWith("[\"t\",", StringComparison.Ordinal);

    private static bool IsUnsolicitedError(string line, string error) =>
        line.StartsWith("{\"extID\":null,\"status\":401,", StringComparison.Ordinal) && line.Contains($"\"error\":\"{error}\"", StringComparison.Ordinal);

    [Fact]
    public async Task When_the_latest_token_expires_pushes_stop_with_TOKEN_EXPIRED_and_the_connection_closes()
    {
        await using var c = await fixture.ConnectAsync();
        var shortLived = fixture.Issue(SessionType.Manager, 41, "*", lifetime: TimeSpan.FromSeconds(3));
        (await c.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, shortLived)).AssertOk();
        await c.WaitForAsync(IsQuote);

        // Quotes keep coming until the token's exp; then one unsolicited 401 and the end of the stream.
        var skipped = new List<string>();
        var expired = await c.WaitForAsync(l => IsUnsolicitedError(l, "TOKEN_EXPIRED"), TimeSpan.FromSeconds(10), skipped);
        Assert.Contains(skipped, IsQuote);
        Assert.False(string.IsNullOrEmpty(Wire.Parse(expired).GetProperty("message").GetString()));
        var afterwards = new List<string>();
        Assert.True(await ClosedAsync(c, afterwards), "the server kept the connection open after TOKEN_EXPIRED");
        Assert.Empty(afterwards);
    }

    [Fact]
    public async Task A_newer_token_moves_the_connection_expiry_and_the_stream_goes_on()
    {
        await using var c = await fixture.ConnectAsync();
        var shortLived = fixture.Issue(SessionType.Manager, 42, "*", lifetime: TimeSpan.FromSeconds(2));
        var expiresAt = DateTime.UtcNow.AddSeconds(2);
        (await c.CallAsync("Subscribe", new { chanels = new[] { "EURUSD" } }, shortLived)).AssertOk();
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, 42, "*", lifetime: TimeSpan.FromHours(1)))).AssertOk();

        // Past the first token's exp, a command is the sentinel: no TOKEN_EXPIRED may precede its reply.
        await Task.Delay(expiresAt - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        var id = Wire.NextId();
        await c.SendAsync(Wire.Request("GetSymbol", new { symbol = "EURUSD" }, fixture.Issue(SessionType.Manager, 42, "*"), id));
        var before = new List<string>();
        (await c.ReplyAsync(id, before)).AssertOk();
        Assert.DoesNotContain(before, l => l.Contains("TOKEN_EXPIRED", StringComparison.Ordinal));
        await c.WaitForAsync(IsQuote);
    }

    [Fact]
    public async Task A_token_whose_nbf_is_an_hour_ahead_is_refused_and_one_within_the_skew_is_accepted()
    {
        await using var c = await fixture.ConnectAsync();
        // Signed with the server's own key; only nbf (issue time - 1 s) lies in the future.
        var early = fixture.Server.IssueToken(SessionType.Admin, 1, now: DateTimeOffset.UtcNow.AddHours(1));
        var refused = await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, early);
        refused.AssertError(401, "PERMISSION_DENIED");
        Assert.Contains("nbf", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A clock 10 s ahead is within TokenService.NotBeforeSkew (30 s).
        var slightlyAhead = fixture.Server.IssueToken(SessionType.Admin, 1, now: DateTimeOffset.UtcNow.AddSeconds(10));
        (await c.CallAsync("GetSymbol", new { symbol = "EURUSD" }, slightlyAhead)).AssertOk();
    }

    [Fact]
    public async Task Tokens_of_a_deleted_login_do_not_open_the_account_created_again_with_that_login()
    {
        await using var admin = await fixture.ConnectAsync();
        var login = 7_311_000L + Random.Shared.Next(1000);
        await AddAccountAsync(admin, login);
        var signedIn = await AuthUserAsync(admin, login);
        var fromCli = await CliUserTokenAsync(login);
        await using var live = await fixture.ConnectAsync();
        (await live.CallAsync("GetAccountByLogin", new { login }, signedIn)).AssertOk();
        (await admin.CallAsync("GetAccountByLogin", new { login }, fromCli)).AssertOk();

        (await admin.CallAsync("MngDeleteAccount", new { login }, fixture.AdminToken)).AssertOk();
        // The open connection of the deleted account is told and closed.
        await live.WaitForAsync(l => IsUnsolicitedError(l, "ACCOUNT_DELETED"));
        Assert.True(await ClosedAsync(live, []));

        await AddAccountAsync(admin, login);
        (await admin.CallAsync("GetAccountByLogin", new { login }, signedIn)).AssertError(401, "PERMISSION_DENIED");
        (await admin.CallAsync("GetAccountByLogin", new { login }, fromCli)).AssertError(401, "PERMISSION_DENIED");

        var fresh = await AuthUserAsync(admin, login);
        (await admin.CallAsync("GetAccountByLogin", new { login }, fresh)).AssertOk();
        (await admin.CallAsync("GetAccountByLogin", new { login }, await CliUserTokenAsync(login))).AssertOk();
    }

    private async Task AddAccountAsync(LineClient admin, long login) =>
        (await admin.CallAsync("MngAddAccount", new
        {
            login, group = "demo", name = "Recreated", email = "r@example.com", password = "secret1", leverage = 100, enable = 1,
        }, fixture.AdminToken)).AssertOk();

    private static async Task<string> AuthUserAsync(LineClient c, long login)
    {
        var reply = await c.CallAsync("AuthUser", new { login, password = "secret1" }, "");
        reply.AssertOk();
        return reply.Data().GetProperty("__token").GetString()!;
    }

    /// <summary>`dealwire token issue --type user` reads the account instance from the data directory of the running server.</summary>
    private async Task<string> CliUserTokenAsync(long login)
    {
        var result = await DealwireCli.RunAsync("token", "issue", "--type", "user", "--login", login.ToString(CultureInfo.InvariantCulture),
            "--data-dir", fixture.Server.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }

    /// <summary>Reads to the end of the stream; false when it stays open for 10 s. Lines read go to <paramref name="lines"/>.</summary>
    private static async Task<bool> ClosedAsync(LineClient c, List<string> lines)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        try
        {
            while (DateTime.UtcNow < deadline) lines.Add(await c.ReadLineAsync(deadline - DateTime.UtcNow));
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (TimeoutException)
        {
        }
        return false;
    }
}
