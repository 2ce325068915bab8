using Dealwire.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>Token on every command, 401 / 403 replies, and identity taken only from the token.</summary>
public sealed class AuthTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Missing_malformed_expired_and_foreign_tokens_get_401_and_the_connection_stays_open()
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync("""{"command":"GetSymbols","data":{},"extID":"notoken"}""");
        Wire.Parse(await c.ReadLineAsync()).AssertError(401, "PERMISSION_DENIED");

        (await c.CallAsync("GetSymbols", null, "not-a-jwt")).AssertError(401, "PERMISSION_DENIED");
        var expired = Host.Tokens.Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1 }, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1));
        var reply = await c.CallAsync("GetSymbols", null, expired);
        reply.AssertError(401, "PERMISSION_DENIED");
        Assert.Equal("token expired", reply.GetProperty("message").GetString());
        var foreign = new TokenService(new byte[32]).Issue(new SessionIdentity { Type = SessionType.Admin, Id = 1 }, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        (await c.CallAsync("GetSymbols", null, foreign)).AssertError(401, "PERMISSION_DENIED");

        (await c.CallAsync("GetSymbols", null, Host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task A_token_that_expires_while_in_use_is_refused_from_then_on()
    {
        // A gateway of its own on a fake clock: the token's two minutes pass at once, no real wait.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayHost.StartAsync(time: clock);
        await using var c = await host.ConnectAsync();
        var shortLived = host.Issue(SessionType.Admin, 1, lifetime: TimeSpan.FromMinutes(2));
        (await c.CallAsync("GetSymbols", null, shortLived)).AssertOk();
        clock.Advance(TimeSpan.FromMinutes(1));
        (await c.CallAsync("GetSymbols", null, shortLived)).AssertOk();
        clock.Advance(TimeSpan.FromMinutes(1));
        // Issue #11: the connection whose latest token expired is told (TOKEN_EXPIRED) and closed ...
        Wire.Parse(await c.WaitForAsync(l => l.Contains("TOKEN_EXPIRED", StringComparison.Ordinal), TimeSpan.FromSeconds(10)))
            .AssertError(401, "TOKEN_EXPIRED");
        Assert.True(await c.IsClosedByServerAsync());
        // ... and the expired token is refused from then on, on a connection that stays open.
        await using var next = await host.ConnectAsync();
        (await next.CallAsync("GetSymbols", null, shortLived)).AssertError(401, "PERMISSION_DENIED");
        (await next.CallAsync("GetSymbols", null, host.AdminToken)).AssertOk();
    }

    [Fact]
    public async Task A_user_token_cannot_run_manager_commands_whatever_access_it_claims()
    {
        await using var c = await Host.ConnectAsync();
        var reply = await c.CallAsync("BalanceIn", new { login = Host.DemoLogin, amount = 100, __access = new { type = 3 } }, Host.DemoUserToken);
        reply.AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("SSOAuthUser", new { login = Host.DemoLogin }, Host.DemoManagerToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
    }

    [Fact]
    public async Task A_manager_without_the_right_or_outside_its_mask_gets_403()
    {
        await using var c = await Host.ConnectAsync();
        var readOnly = Host.Issue(SessionType.Manager, 9, "*", [Rights.SeeAccounts]);
        var reply = await c.CallAsync("BalanceIn", new { login = Host.DemoLogin, amount = 100 }, readOnly);
        reply.AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        Assert.Contains("set_accounts_balance", reply.GetProperty("message").GetString());

        (await c.CallAsync("BalanceIn", new { login = Host.VipLogin, amount = 100 }, Host.DemoManagerToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("GetAccountByLogin", new { login = Host.VipLogin }, Host.DemoManagerToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        (await c.CallAsync("GetAccountByLogin", new { login = Host.DemoLogin }, Host.DemoManagerToken)).AssertOk();
    }

    [Fact]
    public async Task A_user_sees_only_its_own_account()
    {
        await using var c = await Host.ConnectAsync();
        (await c.CallAsync("GetAccountByLogin", new { login = Host.DemoLogin }, Host.DemoUserToken)).AssertOk();
        (await c.CallAsync("GetAccountByLogin", new { login = Host.VipLogin }, Host.DemoUserToken)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var users = await c.CallAsync("GetUsersByFilter", new { groupFilter = "*", limit = 100, offset = 0 }, Host.DemoUserToken);
        users.AssertOk();
        Assert.Equal(1, users.Data().GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task SSOAuthUser_issues_a_working_user_token_and_AuthUser_checks_the_password()
    {
        await using var c = await Host.ConnectAsync();
        var created = await c.CallAsync("MngAddAccount", new { group = "demo", name = "Sso", email = "s@x.io", password = "secret99", leverage = 50, enable = 1 }, Host.AdminToken);
        created.AssertOk();
        var login = created.Data().GetProperty("login").GetInt64();

        var sso = await c.CallAsync("SSOAuthUser", new { login }, Host.AdminToken);
        sso.AssertOk();
        Assert.Equal("demo", sso.Data().GetProperty("group").GetString());
        Assert.Equal("USD", sso.Data().GetProperty("currency").GetString());
        var token = sso.Data().GetProperty("__token").GetString()!;
        (await c.CallAsync("GetAccountByLogin", new { login }, token)).AssertOk();
        (await c.CallAsync("SSOAuthUser", new { login = 987654 }, Host.AdminToken)).AssertError(404, "USER_NOT_FOUND_OR_INCORRECT");

        await c.SendAsync($$"""{"command":"AuthUser","data":{"login":{{login}},"password":"secret99"},"extID":"au1"}""");
        var auth = Wire.Parse(await c.ReadLineAsync());
        auth.AssertOk();
        Assert.False(string.IsNullOrEmpty(auth.Data().GetProperty("__token").GetString()));
        await c.SendAsync($$"""{"command":"AuthUser","data":{"login":{{login}},"password":"wrong-pass"},"extID":"au2"}""");
        Wire.Parse(await c.ReadLineAsync()).AssertError(403, "USER_NOT_FOUND_OR_INCORRECT");
    }
}
