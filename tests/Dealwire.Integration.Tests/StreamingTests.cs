using Dealwire.Integration.Contracts.Accounts;
using Grpc.Core;

namespace Dealwire.Integration.Tests;

/// <summary>Server streams stop when the client cancels, and the server keeps serving (sentinel: a later call answers).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class StreamingTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task A_client_cancelling_GetAccounts_after_the_first_item_ends_the_call_and_the_server_keeps_serving()
    {
        for (var i = 0; i < 3; i++) await fixture.CreateAccountAsync("stream-trader");
        using var cts = new CancellationTokenSource();
        using var call = fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest(), fixture.Crm, cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await cts.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
        });
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);

        var again = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { TraderId = "stream-trader" }, fixture.Crm));
        Assert.Equal(3, again.Count);
    }
}
