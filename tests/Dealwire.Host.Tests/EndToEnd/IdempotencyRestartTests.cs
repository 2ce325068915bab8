using System.Globalization;
using System.Text.Json;
using Dealwire.Testing;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// Idempotency keys against the real process across restarts: before the keys lived in the engine, a Manager API
/// <c>place_order</c> retried after a restart opened a second position (the gateway forgot its process_ids), a booked
/// withdrawal retried after the balance fell answered <c>not_enough_balance</c>, and a Server API BalanceIn had no key.
/// </summary>
[Trait("Category", "Slow")] // kill -9 and restarts of a server process per test
public sealed class IdempotencyRestartTests : IAsyncLifetime
{
    private DealwireProcess _server = null!;
    private string _managerKey = "";

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions
        {
            BeforeFirstStart = async server =>
            {
                var key = await DealwireCli.RunAsync("key", "issue", "--manager", "backoffice", "--groups", "*", "--data-dir", server.DataDir);
                Assert.True(key.ExitCode == 0, key.ToString());
                _managerKey = key.StandardOutput.Trim();
            },
        }.WithFixedPrices();
        _server = await DealwireProcess.StartAsync(options);
        await _server.WaitUntilPricedAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_place_order_retried_after_a_kill_and_after_a_graceful_restart_answers_the_same_position()
    {
        var login = await AccountAsync(10_000m);
        var ids = Ids(login);
        var placeOrder = $"{{{ids},\"asset_pair\":\"EURUSD\",\"lots_amount\":0.1,\"is_buy\":true,\"order_type\":\"market\",\"process_id\":\"po-restart-1\"}}";
        string positionId;
        await using (var manager = await ManagerAsync())
        {
            positionId = (await manager.ManagerCallAsync("place_order", placeOrder)).At("place_order_response.success.position_id.uuid").GetString()!;
        }

        await _server.KillAsync(); // kill -9: the key comes back from the journal
        await _server.RestartAsync();
        await using (var manager = await ManagerAsync())
        {
            var retry = await manager.ManagerCallAsync("place_order", placeOrder);
            Assert.Equal(positionId, retry.At("place_order_response.success.position_id.uuid").GetString());
            Assert.Single((await manager.ManagerCallAsync("get_positions", $"{{{ids}}}")).At("get_positions_response.success").EnumerateArray());
        }

        await _server.RestartAsync(); // graceful: the key comes back from the shutdown snapshot
        await using (var manager = await ManagerAsync())
        {
            var retry = await manager.ManagerCallAsync("place_order", placeOrder);
            Assert.Equal(positionId, retry.At("place_order_response.success.position_id.uuid").GetString());
            var positions = (await manager.ManagerCallAsync("get_positions", $"{{{ids}}}")).At("get_positions_response.success");
            Assert.Equal(positionId, Assert.Single(positions.EnumerateArray()).At("id.uuid").GetString());
        }
    }

    [Fact]
    public async Task A_booked_update_balance_retried_after_the_balance_fell_and_a_restart_answers_its_original_success()
    {
        // 1 000.00 − 800.00 (wd-1) = 200.00; − 150.00 = 50.00. After a restart, wd-1 again: its booking, not not_enough_balance.
        var login = await AccountAsync(1_000m);
        var ids = Ids(login);
        var withdrawal = $"{{{ids},\"delta\":-800,\"process_id\":\"wd-restart-1\",\"reason\":\"withdrawal\",\"allow_negative_balance\":false,\"reference_transaction_id\":\"psp-77\"}}";
        string operationId;
        await using (var manager = await ManagerAsync())
        {
            var first = await manager.ManagerCallAsync("update_balance", withdrawal);
            Assert.Equal(200m, first.At("update_balance_response.success.account.balance").GetDecimal());
            operationId = first.At("update_balance_response.success.balance_operation.id").GetString()!;
            var second = await manager.ManagerCallAsync("update_balance", $"{{{ids},\"delta\":-150,\"process_id\":\"wd-restart-2\",\"reason\":\"withdrawal\",\"allow_negative_balance\":false}}");
            Assert.Equal(50m, second.At("update_balance_response.success.account.balance").GetDecimal());
        }

        await _server.RestartAsync();
        await using (var manager = await ManagerAsync())
        {
            var retry = await manager.ManagerCallAsync("update_balance", withdrawal);
            Assert.Equal(operationId, retry.At("update_balance_response.success.balance_operation.id").GetString());
            Assert.Equal("psp-77", retry.At("update_balance_response.success.balance_operation.reference_transaction_id").GetString());
            Assert.Equal(50m, retry.At("update_balance_response.success.account.balance").GetDecimal());
            var different = await manager.ManagerCallAsync("update_balance", withdrawal.Replace("-800", "-8", StringComparison.Ordinal));
            Assert.Equal("unexpected", different.At("update_balance_response.error").GetString());
        }
        Assert.Equal(50m, await BalanceAsync(login));
    }

    [Fact]
    public async Task A_BalanceIn_with_an_idempotency_key_retried_after_a_kill_books_once_and_answers_the_same_reply()
    {
        var login = await AccountAsync(0m);
        var token = _server.AdminToken;
        JsonElement first;
        await using (var serverApi = await RecordedStream.ConnectAsync(_server.ServerApiPort))
        {
            first = await serverApi.CallAsync("BalanceIn", new { login, amount = 250.50m, idempotency_key = "bank-tx-9" }, token);
        }

        await _server.KillAsync();
        await _server.RestartAsync();
        await using (var serverApi = await RecordedStream.ConnectAsync(_server.ServerApiPort))
        {
            var again = await serverApi.CallAsync("BalanceIn", new { login, amount = 250.50m, idempotency_key = "bank-tx-9" }, token);
            Assert.Equal(first.GetRawText(), again.GetRawText());
            var other = await RawAsync(serverApi, "BalanceIn", new { login, amount = 250.51m, idempotency_key = "bank-tx-9" }, token);
            Assert.Equal(400, other.GetProperty("status").GetInt32());
            Assert.Equal("IDEMPOTENCY_KEY_REUSED", other.GetProperty("error").GetString());
        }
        Assert.Equal(250.50m, await BalanceAsync(login));
    }

    private static string Ids(long login) => string.Create(CultureInfo.InvariantCulture, $"\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"id\":{login}}}");

    private async Task<RecordedStream> ManagerAsync()
    {
        var manager = await RecordedStream.ConnectAsync(_server.ManagerApiPort);
        await manager.ManagerCallAsync("auth_request", $"{{\"secret_key\":\"{_managerKey}\",\"id_representation\":\"num_id_preferred\"}}");
        return manager;
    }

    private async Task<long> AccountAsync(decimal deposit)
    {
        await using var serverApi = await RecordedStream.ConnectAsync(_server.ServerApiPort);
        var login = (await serverApi.CallAsync("MngAddAccount", new
        {
            group = "demo", name = "Retry", email = "retry@example.com", password = "secret1", leverage = 100, enable = 1,
        }, _server.AdminToken)).GetProperty("login").GetInt64();
        if (deposit > 0) await serverApi.CallAsync("BalanceInSync", new { login, amount = deposit }, _server.AdminToken);
        return login;
    }

    private async Task<decimal> BalanceAsync(long login)
    {
        await using var serverApi = await RecordedStream.ConnectAsync(_server.ServerApiPort);
        return (await serverApi.CallAsync("GetAccountByLogin", new { login }, _server.AdminToken)).GetProperty("balance").GetDecimal();
    }

    /// <summary>A Server API call whose reply may be an error frame.</summary>
    private static async Task<JsonElement> RawAsync(RecordedStream stream, string command, object data, string token)
    {
        var id = "raw-" + Guid.NewGuid().ToString("N");
        await stream.Client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?> { ["command"] = command, ["data"] = data, ["extID"] = id, ["__token"] = token }));
        return await stream.ExpectAsync(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("extID", out var x) && x.GetString() == id, "reply to " + command);
    }
}
