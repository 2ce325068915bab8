using Dealwire.TraderSocket.Tests.Infrastructure;
using Dealwire.Testing;

namespace Dealwire.TraderSocket.Tests.EndToEnd;

/// <summary>
/// <c>auth_request</c> over raw sockets, compared byte for byte with the spec's examples (UUIDs stand in for the
/// examples' placeholders "test" and "id"): success on both endpoints, and every refusal answered with an
/// <c>auth_result</c> and the connection closed with a logged reason.
/// </summary>
[Collection(TraderSocketCollection.Name)]
public sealed class AuthEndToEndTests(TraderSocketFixture fixture)
{
    private const string Success = "{\"message_id\":\"test\",\"message_type\":{\"server_message\":{\"auth_result\":{\"result\":\"success\",\"session_id\":\"id\"}}}}";
    private const string Unauthorized = "{\"message_id\":\"test\",\"message_type\":{\"server_message\":{\"auth_result\":{\"result\":\"unauthorized\",\"session_id\":null}}}}";
    private const string AuthFailed = "{\"message_id\":\"test\",\"message_type\":{\"server_message\":{\"auth_result\":{\"result\":\"auth_failed\",\"session_id\":null}}}}";

    [Theory]
    [InlineData("trading")]
    [InlineData("prices")]
    public async Task A_valid_key_is_answered_with_the_spec_success_example(string endpoint)
    {
        await using var client = endpoint == "trading" ? await fixture.TradingAsync() : await fixture.PricesAsync();
        var reply = await client.AuthenticateAsync(fixture.AllKey);
        Assert.Equal(Success, TraderClient.Normalize(reply));
        Assert.Equal("\r\n"u8.ToArray(), client.Line.LastRawLine[^2..]);
        Assert.True(Guid.TryParse(Push.Is(TraderClient.Parse(reply), "auth_result", out var r) ? r.GetProperty("session_id").GetString() : null, out _));
    }

    [Fact]
    public async Task A_wrong_key_is_unauthorized_and_the_connection_closed_with_a_logged_reason()
    {
        await using var client = await fixture.TradingAsync();
        Assert.Equal(Unauthorized, TraderClient.Normalize(await client.AuthenticateAsync("dwi_not-a-key")));
        Assert.True(await client.Line.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        await fixture.Server.WaitForOutputAsync("(unauthenticated) closed: wrong secret key", TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"message_id\":\"test\",\"message_type\":{\"client_message\":{\"auth_request\":{}}}}")]
    [InlineData("{\"message_id\":\"test\",\"message_type\":{\"client_message\":{\"auth_request\":{\"secret_key\":42}}}}")]
    [InlineData("[1,2,3]")]
    public async Task A_malformed_request_is_auth_failed_and_closed(string line)
    {
        await using var client = await fixture.TradingAsync();
        await client.Line.SendAsync(line);
        Assert.Equal(AuthFailed, TraderClient.Normalize(await client.Line.ReadLineAsync()));
        Assert.True(await client.Line.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        await fixture.Server.WaitForOutputAsync("(unauthenticated) closed: the first message is not a readable auth_request", TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(TraderClient.PongLine, "Pong message before auth_request")]
    [InlineData("{\"message_id\":\"test\",\"message_type\":{\"client_message\":{\"subscribe\":{\"topics\":[]}}}}", "Unknown message before auth_request")]
    public async Task Any_other_message_before_auth_is_unauthorized_and_closed(string line, string reason)
    {
        await using var client = await fixture.PricesAsync();
        await client.Line.SendAsync(line);
        Assert.Equal(Unauthorized, TraderClient.Normalize(await client.Line.ReadLineAsync()));
        Assert.True(await client.Line.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        await fixture.Server.WaitForOutputAsync($"(unauthenticated) closed: {reason}", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_key_issued_while_running_is_accepted_and_its_revocation_closes_the_connection()
    {
        var secret = await TraderSocketFixture.IssueKeyAsync(fixture.Server, "late", "demo");
        await using var client = await fixture.TradingAsync();
        Assert.Equal(Success, TraderClient.Normalize(await client.AuthenticateAsync(secret)));

        var revoke = await DealwireCli.RunAsync("key", "revoke", "--integration", "late", "--data-dir", fixture.Server.DataDir);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.True(await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        await fixture.Server.WaitForOutputAsync("(late) closed: the key of integration 'late' was revoked", TimeSpan.FromSeconds(5));
        await using var again = await fixture.TradingAsync();
        Assert.Equal(Unauthorized, TraderClient.Normalize(await again.AuthenticateAsync(secret)));
    }
}
