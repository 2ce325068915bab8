using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #15, corrections, over a real socket to a real process: a balance or credit operation sent with the
/// <c>order</c> of a booked one corrects its amount (one ledger entry of the difference, the record shows the new
/// amount), and the refusals keep their stable codes.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class FinanceCorrectionEndToEndTests(RealServerFixture fixture)
{
    private string Admin => fixture.AdminToken;

    private async Task<long> AccountAsync(LineClient c)
    {
        var reply = await c.CallAsync("AddUser", new { group = "demo", name = "Correction", email = "fix@example.com", password = "secret1", leverage = 100, enable = 1 }, Admin);
        reply.AssertOk();
        return reply.Data().GetProperty("login").GetInt64();
    }

    private async Task<JsonElement> AccountOf(LineClient c, long login) =>
        (await c.CallAsync("GetAccountByLogin", new { login }, Admin)).Data();

    [Fact]
    public async Task A_deposit_booked_ten_times_too_high_is_corrected_by_its_order()
    {
        await using var c = await fixture.ConnectAsync();
        var login = await AccountAsync(c);
        var booked = await c.CallAsync("BalanceInSync", new { login, amount = 1000m, comment = "wire 4711" }, Admin);
        booked.AssertOk();
        var order = booked.Data().GetProperty("order").GetInt64();

        var corrected = await c.CallAsync("BalanceInSync", new { login, amount = 100m, order }, Admin);
        corrected.AssertOk();
        Assert.Equal(order, corrected.Data().GetProperty("order").GetInt64());
        Assert.Equal(100m, corrected.Data().GetProperty("profit").GetDecimal());
        Assert.Equal(6, corrected.Data().GetProperty("cmd").GetInt32());
        Assert.Equal(100m, (await AccountOf(c, login)).GetProperty("balance").GetDecimal());

        // The asynchronous form acknowledges with the operation's own order and the new amount.
        var ack = await c.CallAsync("BalanceIn", new { login, amount = 120m, order }, Admin);
        ack.AssertOk();
        Assert.Equal(order, ack.Data().GetProperty("order").GetInt64());
        Assert.Equal(120m, ack.Data().GetProperty("amount").GetDecimal());
        Assert.Equal(120m, (await AccountOf(c, login)).GetProperty("balance").GetDecimal());

        // Deleting it afterwards takes back what it is now, not what it was first.
        (await c.CallAsync("DeleteBalanceSync", new { order }, Admin)).AssertOk();
        Assert.Equal(0m, (await AccountOf(c, login)).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Corrections_that_change_what_an_operation_is_are_refused_and_change_nothing()
    {
        await using var c = await fixture.ConnectAsync();
        var login = await AccountAsync(c);
        var other = await AccountAsync(c);
        var order = (await c.CallAsync("BalanceInSync", new { login, amount = 500m }, Admin)).Data().GetProperty("order").GetInt64();
        (await c.CallAsync("BalanceOutSync", new { login, amount = -450m }, Admin)).AssertOk();

        // A deposit's order under BalanceOut or CreditIn, on another account, or taking more than the balance holds.
        (await c.CallAsync("BalanceOut", new { login, amount = -100m, order }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("CreditIn", new { login, amount = 100m, order, comment = "x" }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("BalanceIn", new { login = other, amount = 100m, order }, Admin)).AssertError(400, "INVALID_DATA");
        (await c.CallAsync("BalanceIn", new { login, amount = 10m, order }, Admin)).AssertError(409, "RET_TRADE_NO_MONEY");
        // The engine refuses a correction to the amount it already has.
        (await c.CallAsync("BalanceIn", new { login, amount = 500m, order }, Admin)).AssertError(400, "RET_INVALID_DATA");

        Assert.Equal(50m, (await AccountOf(c, login)).GetProperty("balance").GetDecimal());
        Assert.Equal(0m, (await AccountOf(c, other)).GetProperty("balance").GetDecimal());
    }
}
