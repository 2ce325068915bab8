using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// Reads come from the live view, which follows the committed stream a little behind the replies. On one
/// connection a read right after a write must still see it: the reply's sequence is remembered and the read waits
/// for the view. Real process, raw socket, no pause between write and read.
/// </summary>
[Trait("Category", "Slow")] // a server process of its own per test
public sealed class ReadYourWritesTests : IAsyncLifetime
{
    private DealwireProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await DealwireProcess.StartAsync(new DealwireProcessOptions().WithFixedPrices());
        await _server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_write_is_visible_to_the_next_read_on_the_same_connection()
    {
        var token = _server.AdminToken;
        await using var api = await RecordedStream.ConnectAsync(_server.ServerApiPort);
        var login = (await api.CallAsync("MngAddAccount", new { group = "demo", name = "RYW", email = "ryw@example.com", password = "secret1", leverage = 100, enable = 1 }, token))
            .GetProperty("login").GetInt64();
        var expected = 0m;
        for (var i = 1; i <= 30; i++)
        {
            // Each deposit, then at once the account: the balance read must include it.
            await api.CallAsync("BalanceInSync", new { login, amount = i }, token);
            expected += i;
            var account = await api.CallAsync("GetAccountByLogin", new { login }, token);
            Assert.Equal(expected, account.GetProperty("balance").GetDecimal());
        }

        // A deal and then the margin it uses: the figures of a command travel with its batch.
        await api.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0 }, token);
        var afterOpen = await api.CallAsync("GetAccountByLogin", new { login }, token);
        Assert.True(afterOpen.GetProperty("margin").GetDecimal() > 0m, afterOpen.GetRawText());
    }
}
