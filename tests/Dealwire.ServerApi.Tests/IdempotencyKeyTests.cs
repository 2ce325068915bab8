using Dealwire.Security;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// <c>data.idempotency_key</c> (Dealwire extension) on money and trade commands: a retried command whose reply was
/// lost answers the original outcome and books once; the same key for another request is 400 IDEMPOTENCY_KEY_REUSED.
/// </summary>
public sealed class IdempotencyKeyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private async Task<long> AccountAsync(Testing.LineClient c, decimal deposit = 0m)
    {
        var reply = await c.CallAsync("MngAddAccount", new { group = "demo", name = "Idem", email = "i@x.io", password = "pass123", leverage = 100, enable = 1 }, Host.AdminToken);
        var login = reply.Data().GetProperty("login").GetInt64();
        if (deposit > 0) (await c.CallAsync("BalanceIn", new { login, amount = deposit }, Host.AdminToken)).AssertOk();
        return login;
    }

    private async Task<decimal> BalanceAsync(Testing.LineClient c, long login) =>
        (await c.CallAsync("GetAccountByLogin", new { login }, Host.AdminToken)).Data().GetProperty("balance").GetDecimal();

    [Fact]
    public async Task A_retried_BalanceIn_books_once_and_answers_the_same_reply()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        var first = await c.CallAsync("BalanceIn", new { login, amount = 500m, idempotency_key = "psp-1" }, Host.AdminToken);
        var again = await c.CallAsync("BalanceIn", new { login, amount = 500m, idempotency_key = "psp-1" }, Host.AdminToken);
        var sync = await c.CallAsync("BalanceInSync", new { login, amount = 500m, idempotency_key = "psp-1" }, Host.AdminToken);

        first.AssertOk();
        again.AssertOk();
        Assert.Equal(first.Data().GetRawText(), again.Data().GetRawText());
        Assert.Equal(first.Data().GetProperty("order").GetInt64(), sync.Data().GetProperty("order").GetInt64());
        Assert.Equal(500m, await BalanceAsync(c, login));
    }

    [Fact]
    public async Task Without_a_key_a_repeated_BalanceIn_books_again_as_the_vendors_clients_expect()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        (await c.CallAsync("BalanceIn", new { login, amount = 5m }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("BalanceIn", new { login, amount = 5m }, Host.AdminToken)).AssertOk();
        Assert.Equal(10m, await BalanceAsync(c, login));
    }

    [Fact]
    public async Task The_same_key_for_a_different_request_is_refused_with_a_stable_code()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        (await c.CallAsync("BalanceIn", new { login, amount = 500m, idempotency_key = "psp-2" }, Host.AdminToken)).AssertOk();

        var other = await c.CallAsync("BalanceIn", new { login, amount = 501m, idempotency_key = "psp-2" }, Host.AdminToken);
        other.AssertError(400, "IDEMPOTENCY_KEY_REUSED");
        (await c.CallAsync("MngOpenTrade", new { login, cmd = 0, volume = 1, symbol = "EURUSD", sl = 0, tp = 0, idempotency_key = "psp-2" }, Host.AdminToken))
            .AssertError(400, "IDEMPOTENCY_KEY_REUSED");
        (await c.CallAsync("BalanceIn", new { login, amount = 1m, idempotency_key = "" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("BalanceIn", new { login, amount = 1m, idempotency_key = new string('k', 129) }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        Assert.Equal(500m, await BalanceAsync(c, login));
    }

    [Fact]
    public async Task Keys_belong_to_the_token_identity()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        var otherAdmin = Host.Issue(SessionType.Admin, 2);
        (await c.CallAsync("BalanceIn", new { login, amount = 5m, idempotency_key = "shared" }, Host.AdminToken)).AssertOk();
        (await c.CallAsync("BalanceIn", new { login, amount = 5m, idempotency_key = "shared" }, otherAdmin)).AssertOk();
        Assert.Equal(10m, await BalanceAsync(c, login));
    }

    [Fact]
    public async Task A_retried_open_opens_once_and_a_retried_close_answers_the_original_close()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c, 10_000m);
        var open = new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0, idempotency_key = "open-1" };
        var first = await c.CallAsync("MngOpenTradeSync", open, Host.AdminToken);
        var again = await c.CallAsync("MngOpenTrade", open, Host.AdminToken);
        first.AssertOk();
        again.AssertOk();
        var ticket = first.Data().GetProperty("order").GetInt64();
        Assert.Equal(ticket, again.Data().GetProperty("order").GetInt64());
        Assert.Single(await Host.Runner.QueryAsync(r => r.GetPositions(login).ToList()));

        var close = new { login, order = ticket, idempotency_key = "close-1" };
        var closed = await c.CallAsync("MngCloseTradeSync", close, Host.AdminToken);
        var reclosed = await c.CallAsync("MngCloseTradeSync", close, Host.AdminToken);
        closed.AssertOk();
        reclosed.AssertOk(); // without the key the position is gone: RET_TRADE_INCORRECT_STATE
        Assert.Equal(closed.Data().GetProperty("close_price").GetDecimal(), reclosed.Data().GetProperty("close_price").GetDecimal());
        (await c.CallAsync("MngCloseTradeSync", new { login, order = ticket }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");
    }
}
