namespace Dealwire.ServerApi.Tests;

/// <summary>Balance / credit operations with the spec's sign rules, acks, Sync answers and deletes.</summary>
public sealed class FinanceCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private async Task<long> AccountAsync(Testing.LineClient c)
    {
        var reply = await c.CallAsync("MngAddAccount", new { group = "demo", name = "Fin", email = "f@x.io", password = "pass123", leverage = 100, enable = 1 }, Host.AdminToken);
        return reply.Data().GetProperty("login").GetInt64();
    }

    [Fact]
    public async Task BalanceIn_acks_state_10_and_BalanceOut_takes_a_negative_amount()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        var ack = await c.CallAsync("BalanceIn", new { login, amount = 500.25m }, Host.AdminToken);
        ack.AssertOk();
        var data = ack.Data();
        Assert.True(data.GetProperty("accepted").GetBoolean());
        Assert.Equal(10, data.GetProperty("state").GetInt32());
        Assert.Equal(6, data.GetProperty("cmd").GetInt32());
        Assert.Equal(500.25m, data.GetProperty("amount").GetDecimal());

        var sync = await c.CallAsync("BalanceOutSync", new { login, amount = -100m, comment = "withdraw" }, Host.AdminToken);
        sync.AssertOk();
        Assert.Equal(8, sync.Data().GetProperty("cmd").GetInt32());
        Assert.Equal(3, sync.Data().GetProperty("state").GetInt32());
        Assert.Equal(-100m, sync.Data().GetProperty("profit").GetDecimal());

        var positive = await c.CallAsync("BalanceOut", new { login, amount = 100 }, Host.AdminToken);
        positive.AssertError(400, "INVALID_DATA");
        Assert.Contains("negative", positive.GetProperty("message").GetString());
        (await c.CallAsync("BalanceIn", new { login, amount = -5 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("BalanceOut", new { login, amount = -1_000_000 }, Host.AdminToken)).AssertError(409, "RET_TRADE_NO_MONEY");
        (await c.CallAsync("BalanceIn", new { login = 99_999_999, amount = 5 }, Host.AdminToken)).AssertError(404, "RET_USER_NOT_FOUND");
        (await c.CallAsync("BalanceIn", new { login, amount = "5" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");

        var account = (await c.CallAsync("GetAccountByLogin", new { login }, Host.AdminToken)).Data();
        Assert.Equal(400.25m, account.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Credit_needs_a_comment_and_out_is_negative()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        (await c.CallAsync("CreditIn", new { login, amount = 50 }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        var credit = await c.CallAsync("CreditInSync", new { login, amount = 50, comment = "bonus" }, Host.AdminToken);
        credit.AssertOk();
        Assert.Equal(7, credit.Data().GetProperty("cmd").GetInt32());
        (await c.CallAsync("CreditOut", new { login, amount = 20, comment = "x" }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        var ack = await c.CallAsync("CreditOut", new { login, amount = -20, comment = "x" }, Host.AdminToken);
        ack.AssertOk();
        Assert.Equal(9, ack.Data().GetProperty("cmd").GetInt32());
        Assert.Equal(30m, (await c.CallAsync("GetAccountByLogin", new { login }, Host.AdminToken)).Data().GetProperty("credit").GetDecimal());
    }

    [Fact]
    public async Task DeleteBalance_reverses_the_operation_and_checks_its_kind()
    {
        await using var c = await Host.ConnectAsync();
        var login = await AccountAsync(c);
        var order = (await c.CallAsync("BalanceIn", new { login, amount = 70 }, Host.AdminToken)).Data().GetProperty("order").GetInt64();
        var credit = (await c.CallAsync("CreditIn", new { login, amount = 10, comment = "c" }, Host.AdminToken)).Data().GetProperty("order").GetInt64();
        (await c.CallAsync("DeleteCredit", new { order }, Host.AdminToken)).AssertError(400, "INVALID_DATA");
        var ack = await c.CallAsync("DeleteBalance", new { order }, Host.AdminToken);
        ack.AssertOk();
        Assert.Equal(12, ack.Data().GetProperty("state").GetInt32());
        Assert.Equal(0m, (await c.CallAsync("GetAccountByLogin", new { login }, Host.AdminToken)).Data().GetProperty("balance").GetDecimal());
        (await c.CallAsync("DeleteBalanceSync", new { order }, Host.AdminToken)).AssertError(400, "RET_TRADE_INCORRECT_STATE");
        var sync = await c.CallAsync("DeleteCreditSync", new { order = credit }, Host.AdminToken);
        sync.AssertOk();
        Assert.Equal(credit, sync.Data().GetProperty("order").GetInt64());
    }
}
