using Dealwire.TraderSocket.Tests.Infrastructure;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// The server-driven heartbeat (fixture: a Ping every 3 s, the default of 3 missed Pongs): the Ping is the spec's
/// example byte for byte; a client that answers stays; one that does not is closed with a logged reason.
/// </summary>
[Collection(TraderSocketCollection.Name)]
[Trait("Category", "Slow")] // waits in real time for pings and missed pongs
public sealed class HeartbeatEndToEndTests(TraderSocketFixture fixture)
{
    [Fact]
    public async Task The_server_pings_with_the_spec_example_and_a_client_that_pongs_stays_connected()
    {
        await using var client = await fixture.PricesAsync();
        await client.AuthenticateAsync(fixture.AllKey);
        // Past the point where a silent client is dropped (4 intervals): still pinged, so still open.
        var until = DateTime.UtcNow + TraderSocketFixture.PingInterval * 10;
        try
        {
            while (client.PingsSeen < 5) await client.NextAsync(until - DateTime.UtcNow);
        }
        catch (TimeoutException)
        {
            // Checked below: the pings seen so far (answered) are what counts.
        }
        Assert.True(client.PingsSeen >= 5, $"{client.PingsSeen} Pings in {(TraderSocketFixture.PingInterval * 10).TotalSeconds} s");
        var ping = await client.Line.WaitForAsync(l => l.Contains("\"Ping\"", StringComparison.Ordinal), TraderSocketFixture.PingInterval * 3);
        Assert.Equal("{\"message_id\":\"test\",\"message_type\":\"Ping\"}", TraderClient.Normalize(ping));
        Assert.Equal("\r\n"u8.ToArray(), client.Line.LastRawLine[^2..]);
    }

    [Fact]
    public async Task A_client_that_misses_three_pongs_is_disconnected_with_a_logged_reason()
    {
        await using var client = await fixture.TradingAsync();
        client.AnswerPings = false;
        await client.Line.SendAsync(TraderClient.AuthLine(fixture.NettingKey));
        Assert.True(await client.Line.IsClosedByServerAsync(TraderSocketFixture.PingInterval * 8));
        await fixture.Server.WaitForOutputAsync(
            $"(netting) closed: 3 Pings without a Pong (a Ping every {TraderSocketFixture.PingInterval.TotalSeconds:0} s, MaxMissedPongs 3)", TimeSpan.FromSeconds(5));
    }
}
