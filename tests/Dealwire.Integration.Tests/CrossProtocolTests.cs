using System.Globalization;
using System.Text.Json;
using Dealwire.Integration.Contracts.Accounts;
using Dealwire.Testing;

namespace Dealwire.Integration.Tests;

/// <summary>
/// One account across the three protocols: created and funded over gRPC, traded over the Manager API, read over the
/// Server API and gRPC; the balances agree to the cent with the money the trade moved (fixed prices: a buy of
/// 0.1 lot EURUSD at 1.10010 closed at 1.10000 loses 1.00 USD; the demo group charges no commission).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CrossProtocolTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task An_account_created_and_funded_over_gRPC_trades_on_the_Manager_API_and_agrees_on_the_Server_API()
    {
        var account = await fixture.CreateAccountAsync("cross-trader", deposit: 2_500.75);
        var login = long.Parse(account.Id, CultureInfo.InvariantCulture);
        Assert.Equal(2_500.75m, (decimal)account.Balance);

        await using var manager = await LineClient.ConnectAsync(fixture.Server.ManagerApiPort);
        var auth = await manager.ManagerCallAsync("auth_request", $"{{\"secret_key\":\"{fixture.CrmKey}\",\"id_representation\":\"num_id_preferred\"}}");
        Assert.True(auth.TryGetProperty("auth_response", out _), auth.GetRawText());
        var ids = $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}";
        var placed = await manager.ManagerCallAsync("place_order",
            $"{{{ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"cross-open\"}}");
        var order = placed.GetProperty("place_order_response").GetProperty("success");
        var position = order.GetProperty("position_id").GetRawText();

        // The position the Manager API opened is an engine position the gRPC stream lists.
        var open = await IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(
            new Contracts.Engine.GetActivePositionsGrpcRequest { AccountId = account.Id }, fixture.Crm));
        Assert.Equal(1.1001, Assert.Single(open).OpenPrice);

        var closed = await manager.ManagerCallAsync("close_position", $"{{{ids},\"position_id\":{position},\"process_id\":\"cross-close\"}}");
        Assert.True(closed.TryGetProperty("close_position_response", out var closeResponse) && closeResponse.TryGetProperty("success", out _), closed.GetRawText());

        var expected = 2_500.75m - 1.00m;
        await using var server = await LineClient.ConnectAsync(fixture.Server.ServerApiPort);
        var reply = await server.ServerCallAsync("GetAccountByLogin", new { login }, fixture.Server.AdminToken);
        Assert.Equal(200, reply.GetProperty("status").GetInt32());
        Assert.Equal(expected, reply.GetProperty("data").GetProperty("balance").GetDecimal());
        Assert.Equal("cross-trader", reply.GetProperty("data").GetProperty("id").GetString());

        var grpc = Assert.Single(await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { AccountId = account.Id }, fixture.Crm)));
        Assert.Equal(expected, (decimal)grpc.Balance);
        Assert.Equal(expected, (decimal)grpc.Equity);

        var accounts = await manager.ManagerCallAsync("get_accounts", $"{{\"account_id\":{{\"id\":{login}}}}}");
        Assert.Contains(expected.ToString(CultureInfo.InvariantCulture), accounts.GetRawText(), StringComparison.Ordinal);
    }
}
