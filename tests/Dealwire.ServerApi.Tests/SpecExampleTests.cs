namespace Dealwire.ServerApi.Tests;

/// <summary>The request lines of the spec and the seed, replayed as written (only the token filled in).</summary>
public sealed class SpecExampleTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    [Theory]
    // The seed's line names BTCUSD, which this host does not list (it would answer 207 with BTCUSD refused);
    // ProtocolEndToEndTests replays it byte for byte against the embedded default, which has BTCUSD.
    [InlineData("""{"command":"Subscribe","data":{"chanels":["EURUSD","GBPUSD"]},"extID":"sub1","__token":"TOKEN"}""", "sub1")]
    [InlineData("""{"command":"Unsubscribe","data":{"chanels":["BTCUSD"]},"extID":"unsub1","__token":"TOKEN"}""", "unsub1")]
    [InlineData("""{"command":"Subscribe","data":{"chanels":["EURUSD"]},"extId":"sub2","__token":"TOKEN"}""", "sub2")]
    [InlineData("""{"command":"SubscribeAll","data":{},"extID":"suball","__token":"TOKEN"}""", "suball")]
    [InlineData("""{"command":"UnsubscribeAll","data":{},"extID":"unsuball","__token":"TOKEN"}""", "unsuball")]
    [InlineData("""{"command":"GetSymbols","data":{},"extID":"syms","__token":"TOKEN"}""", "syms")]
    [InlineData("""{"command":"GetSymbolGroups","data":{},"extID":"secs","__token":"TOKEN"}""", "secs")]
    [InlineData("""{"command":"GetGroups","data":{},"extID":"grps","__token":"TOKEN"}""", "grps")]
    [InlineData("""{"command":"GetUsers","data":{},"extID":"users","__token":"TOKEN"}""", "users")]
    [InlineData("""{"command":"GetAccountsByGroup","data":{"group_mask":"*"},"extID":"abg","__token":"TOKEN"}""", "abg")]
    [InlineData("""{"command":"GetTradesByGroup","data":{"group_mask":"*","open_only":1},"extID":"tbg","__token":"TOKEN"}""", "tbg")]
    [InlineData("""{"command":"GetSymbolsSummary","data":{},"extID":"sum","__token":"TOKEN"}""", "sum")]
    [InlineData("""{"command":"MngGetTradesByFilter","data":{"groupFilter":"*","limit":50,"offset":0,"tradeType":0,"orderBy":[["order","desc"]]},"extID":"mgt","__token":"TOKEN"}""", "mgt")]
    [InlineData("""{"command":"GetUsersByFilter","data":{"groupFilter":"*","limit":10,"offset":0,"where":[["balance",">",0]],"orderBy":["login","ASC"]},"extID":"guf","__token":"TOKEN"}""", "guf")]
    [InlineData("""{"command":"AddUser","data":{"group":"demo","name":"John Doe","email":"[email protected]","password":"pass123","leverage":100,"enable":1},"extID":"adduser1","__token":"TOKEN"}""", "adduser1")]
    public async Task Spec_request_lines_are_answered_with_200(string line, string extId)
    {
        await using var c = await Host.ConnectAsync();
        await c.SendAsync(line.Replace("TOKEN", Host.AdminToken));
        var reply = Wire.Parse(await c.WaitForAsync(l => l.Contains($"\"extID\":\"{extId}\"")));
        reply.AssertOk();
    }
}
