using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.ReadModel.History;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ManagerApi.Tests;

/// <summary><c>update_balance</c> in both layouts: every reason, idempotency, every error code.</summary>
public sealed class BalanceTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private ManagerClient _seed = null!;
    private ManagerClient _newer = null!;
    private long _login;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _login = await _server.AccountAsync("demo", 100m);
        _seed = await _server.ConnectAsync();
        await _seed.AuthAsync(_server.AdminKey);
        _newer = await _server.ConnectAsync();
        await _newer.AuthAsync(_server.AdminKey, "num_id_preferred");
    }

    public async Task DisposeAsync()
    {
        await _seed.DisposeAsync();
        await _newer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Seed(long login, decimal delta, string reason, string processId, bool allowNegative = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"trader_id\":\"{login}\",\"account_id\":\"{login}\",\"delta\":{delta},\"comment\":\"by test\",\"process_id\":\"{processId}\",\"allow_negative_balance\":{(allowNegative ? "true" : "false")},\"reason\":\"{reason}\",\"reference_transaction_id\":null,\"same_response_process_id\":true}}");

    private static string Newer(long login, decimal delta, string reason, string processId, bool allowNegative = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"trader_id\":{{\"id\":{login}}},\"account_id\":{{\"uuid\":\"{ManagerIds.ToUuid(EntityKind.Account, login)}\"}},\"delta\":{delta},\"process_id\":\"{processId}\",\"allow_negative_balance\":{(allowNegative ? "true" : "false")},\"reason\":\"{reason}\",\"same_response_process_id\":true}}");

    private Task<decimal> BalanceAsync() => _server.Runner.QueryAsync(r => r.GetMargin(_login)!.Balance);

    [Fact]
    public async Task Seed_deposit_answers_ok_with_the_updated_account()
    {
        var reply = await _seed.CallAsync("update_balance", Seed(_login, 250.5m, "deposit", "dep-1"));
        var account = reply.At("success.update_balance.ok");
        Assert.Equal(_login.ToString(CultureInfo.InvariantCulture), account.GetProperty("id").GetString());
        Assert.Equal(350.50m, account.GetProperty("balance").GetDecimal());
        Assert.Equal(350.50m, await BalanceAsync());
    }

    [Fact]
    public async Task Newer_deposit_answers_account_and_balance_operation()
    {
        var reply = await _newer.CallAsync("update_balance", Newer(_login, 50m, "deposit", "dep-n"));
        var success = reply.At("update_balance_response.success");
        success.HasKeys("account", "balance_operation");
        Assert.Equal(_login, success.At("account.id.num_id").GetInt64());
        Assert.Equal(ManagerIds.ToUuid(EntityKind.Account, _login).ToString(), success.At("account.id.uuid").GetString());
        var op = success.GetProperty("balance_operation");
        op.HasKeys("id", "trader_id", "account_id", "reason", "process_id", "delta", "date", "comment", "reference_operation_id");
        Assert.Equal("deposit", op.GetProperty("reason").GetString());
        Assert.Equal("dep-n", op.GetProperty("process_id").GetString());
        Assert.Equal(50m, op.GetProperty("delta").GetDecimal());
        Assert.InRange(op.GetProperty("date").GetInt64(), 1_600_000_000_000, 9_999_999_999_999);
        Assert.Equal(JsonValueKind.Null, op.GetProperty("comment").ValueKind);
        Assert.Equal(JsonValueKind.Null, op.GetProperty("reference_operation_id").ValueKind);
        Assert.True(Guid.TryParse(op.GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task A_repeated_process_id_returns_the_first_result_and_books_once()
    {
        var first = await _newer.CallAsync("update_balance", Newer(_login, 40m, "deposit", "same"));
        var again = await _newer.CallAsync("update_balance", Newer(_login, 40m, "deposit", "same"));
        Assert.Equal(first.At("update_balance_response.success.balance_operation.id").GetString(),
            again.At("update_balance_response.success.balance_operation.id").GetString());
        // The seed request carries a comment the first did not: a different request under the same key is refused.
        var seedAgain = await _seed.CallAsync("update_balance", Seed(_login, 40m, "deposit", "same"));
        Assert.Equal("undefinded", seedAgain.At("success.update_balance.err").GetString());
        Assert.Equal(140m, await BalanceAsync());
    }

    [Fact]
    public async Task A_booked_withdrawal_retried_after_the_balance_fell_answers_the_original_booking()
    {
        // Balance 100: withdraw 80 (process_id wd-1) → 20; another withdrawal of 15 → 5. Retrying wd-1 must answer
        // its booking (balance_after 20), not not_enough_balance (5 − 80 < 0), and book nothing.
        var first = await _newer.CallAsync("update_balance", Newer(_login, -80m, "withdrawal", "wd-1"));
        await _newer.CallAsync("update_balance", Newer(_login, -15m, "withdrawal", "wd-other"));
        var retry = await _newer.CallAsync("update_balance", Newer(_login, -80m, "withdrawal", "wd-1"));
        Assert.Equal(first.At("update_balance_response.success.balance_operation.id").GetString(),
            retry.At("update_balance_response.success.balance_operation.id").GetString());
        Assert.Equal(5m, retry.At("update_balance_response.success.account.balance").GetDecimal());
        Assert.Equal(5m, await BalanceAsync());
    }

    [Fact]
    public async Task A_booked_deposit_retried_after_the_account_was_disabled_answers_the_original_booking()
    {
        var first = await _seed.CallAsync("update_balance", Seed(_login, 30m, "deposit", "dep-d"));
        Assert.Equal(130m, first.At("success.update_balance.ok.balance").GetDecimal());
        var profile = (await _server.Runner.QueryAsync(r => r.GetAccount(_login)))!.Profile;
        await _server.Ok(new UpdateAccount(profile with { Enabled = false }));
        Assert.Equal("reciever_account_disabled", (await _seed.CallAsync("update_balance", Seed(_login, 30m, "deposit", "dep-new"))).At("success.update_balance.err").GetString());

        var retry = await _seed.CallAsync("update_balance", Seed(_login, 30m, "deposit", "dep-d"));

        Assert.Equal(130m, retry.At("success.update_balance.ok.balance").GetDecimal());
        Assert.Equal(130m, await BalanceAsync());
    }

    [Fact]
    public async Task The_reference_transaction_id_is_kept_and_returned()
    {
        var request = string.Create(CultureInfo.InvariantCulture,
            $"{{\"trader_id\":{{\"id\":{_login}}},\"account_id\":{{\"id\":{_login}}},\"delta\":7,\"process_id\":\"ref-1\",\"allow_negative_balance\":false,\"reason\":\"deposit\",\"reference_transaction_id\":\"psp-42\",\"same_response_process_id\":true}}");
        var reply = await _newer.CallAsync("update_balance", request);
        var op = reply.At("update_balance_response.success.balance_operation");
        Assert.Equal("psp-42", op.GetProperty("reference_transaction_id").GetString());
        Assert.Equal("ref-1", op.GetProperty("process_id").GetString());
        var listed = await _newer.CallAsync("get_balance_operations", $"{{\"operation_id\":\"{op.GetProperty("id").GetString()}\"}}");
        Assert.Equal("psp-42", listed.At("get_balance_operations_response.success").EnumerateArray().Single().GetProperty("reference_transaction_id").GetString());
        var entry = await LastLedgerEntryAsync();
        Assert.Equal("psp-42", entry.Reference);
    }

    [Theory]
    [InlineData("deposit", 10, LedgerKind.Deposit)]
    [InlineData("withdrawal", -10, LedgerKind.Withdrawal)]
    [InlineData("withdrawal_cancel", 10, LedgerKind.WithdrawalCancelled)]
    [InlineData("balance_correction", -3.25, LedgerKind.BalanceCorrection)]
    [InlineData("commission", -1.5, LedgerKind.Commission)]
    [InlineData("trading", 7, LedgerKind.TradingResult)]
    [InlineData("transfer", 2, LedgerKind.BalanceCorrection)]
    public async Task Every_reason_books_its_ledger_kind(string reason, double delta, LedgerKind kind)
    {
        var amount = (decimal)delta;
        var reply = await _newer.CallAsync("update_balance", Newer(_login, amount, reason, "r-" + reason));
        Assert.Equal(100m + amount, reply.At("update_balance_response.success.account.balance").GetDecimal());
        var entry = await LastLedgerEntryAsync();
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(amount, entry.Amount);
        Assert.Equal("manager:1", entry.Actor);
    }

    [Theory]
    [InlineData("deposit", 0)]
    [InlineData("deposit", -5)]
    [InlineData("withdrawal", 5)]
    [InlineData("withdrawal_cancel", -5)]
    [InlineData("balance_correction", 0.001)]
    public async Task Zero_wrong_sign_and_sub_cent_amounts_are_invalid_transfer_amounts(string reason, double delta)
    {
        var seed = await _seed.CallAsync("update_balance", Seed(_login, (decimal)delta, reason, "bad-s"));
        Assert.Equal("invalid_balance_transfer_amount", seed.At("success.update_balance.err").GetString());
        var newer = await _newer.CallAsync("update_balance", Newer(_login, (decimal)delta, reason, "bad-n"));
        Assert.Equal("invalid_balance_transfer_amount", newer.At("update_balance_response.error").GetString());
        Assert.Equal(100m, await BalanceAsync());
    }

    [Fact]
    public async Task Withdrawing_more_than_the_balance_is_not_enough_balance_unless_negative_is_allowed()
    {
        Assert.Equal("not_enough_balance", (await _seed.CallAsync("update_balance", Seed(_login, -150m, "withdrawal", "w1"))).At("success.update_balance.err").GetString());
        Assert.Equal("not_enough_balance", (await _newer.CallAsync("update_balance", Newer(_login, -150m, "balance_correction", "w2"))).At("update_balance_response.error").GetString());
        var allowed = await _newer.CallAsync("update_balance", Newer(_login, -150m, "balance_correction", "w3", allowNegative: true));
        Assert.Equal(-50m, allowed.At("update_balance_response.success.account.balance").GetDecimal());
    }

    [Fact]
    public async Task Unknown_and_disabled_accounts_get_their_codes_spelled_as_on_the_wire()
    {
        Assert.Equal("account_not_found", (await _seed.CallAsync("update_balance", Seed(999_999, 5m, "deposit", "x1"))).At("success.update_balance.err").GetString());
        Assert.Equal("account_not_found", (await _newer.CallAsync("update_balance", Newer(999_999, 5m, "deposit", "x2"))).At("update_balance_response.error").GetString());
        var disabled = await _server.AccountAsync("demo", 20m, enabled: false);
        Assert.Equal("reciever_account_disabled", (await _seed.CallAsync("update_balance", Seed(disabled, 5m, "deposit", "x3"))).At("success.update_balance.err").GetString());
        Assert.Equal("sender_account_disabled", (await _newer.CallAsync("update_balance", Newer(disabled, -5m, "withdrawal", "x4"))).At("update_balance_response.error").GetString());
        var mismatch = $"{{\"trader_id\":\"{disabled}\",\"account_id\":\"{_login}\",\"delta\":1,\"process_id\":\"x5\",\"allow_negative_balance\":false,\"reason\":\"deposit\"}}";
        Assert.Equal("account_not_found", (await _seed.CallAsync("update_balance", mismatch)).At("success.update_balance.err").GetString());
    }

    [Fact]
    public async Task Malformed_balance_requests_change_nothing()
    {
        var missing = await _newer.CallAsync("update_balance", $"{{\"account_id\":{{\"id\":{_login}}},\"delta\":1,\"reason\":\"deposit\"}}");
        Assert.Equal("invalid_message_format", missing.At("update_balance_response.error").GetString());
        var text = await _newer.CallAsync("update_balance", $"{{\"account_id\":{{\"id\":{_login}}},\"delta\":\"1\",\"process_id\":\"q\",\"reason\":\"deposit\"}}");
        Assert.Equal("invalid_message_format", text.At("update_balance_response.error").GetString());
        var reason = await _seed.CallAsync("update_balance", Seed(_login, 1m, "gift", "q2"));
        Assert.Equal("invalid_message_format", reason.GetProperty("error").GetString());
        var plainId = await _newer.CallAsync("update_balance", Seed(_login, 1m, "deposit", "q3"));
        Assert.Equal("invalid_message_format", plainId.At("update_balance_response.error").GetString());
        var foreignUuid = await _newer.CallAsync("update_balance",
            $"{{\"account_id\":{{\"uuid\":\"{Guid.NewGuid()}\"}},\"delta\":1,\"process_id\":\"q4\",\"reason\":\"deposit\"}}");
        // Any UUID is a valid id; one Dealwire did not make names no account (was convert_id_error, issue #12).
        Assert.Equal("account_not_found", foreignUuid.At("update_balance_response.error").GetString());
        var wrongKind = await _newer.CallAsync("update_balance",
            $"{{\"account_id\":{{\"uuid\":\"{ManagerIds.ToUuid(EntityKind.Position, _login)}\"}},\"delta\":1,\"process_id\":\"q5\",\"reason\":\"deposit\"}}");
        Assert.Equal("account_not_found", wrongKind.At("update_balance_response.error").GetString());
        Assert.Equal(100m, await BalanceAsync());
    }

    [Fact]
    public async Task Balance_operations_are_listed_with_filters()
    {
        await _newer.CallAsync("update_balance", Newer(_login, 10m, "deposit", "l1"));
        await _newer.CallAsync("update_balance", Newer(_login, -5m, "withdrawal", "l2"));
        var all = await _newer.CallAsync("get_balance_operations", $"{{\"account_id\":{{\"id\":{_login}}}}}");
        var ops = all.At("get_balance_operations_response.success").EnumerateArray().ToList();
        Assert.Equal(3, ops.Count); // the initial deposit and the two above
        var withdrawals = await _newer.CallAsync("get_balance_operations", "{\"operation_type\":\"withdrawal\"}");
        var w = Assert.Single(withdrawals.At("get_balance_operations_response.success").EnumerateArray());
        Assert.Equal("l2", w.GetProperty("process_id").GetString());
        var byId = await _newer.CallAsync("get_balance_operations", $"{{\"operation_id\":\"{w.GetProperty("id").GetString()}\"}}");
        Assert.Single(byId.At("get_balance_operations_response.success").EnumerateArray());
        var later = await _newer.CallAsync("get_balance_operations", "{\"datetime_from\":9999999999999}");
        Assert.Equal(0, later.At("get_balance_operations_response.success").GetArrayLength());
        var collaterals = await _newer.CallAsync("get_collaterals");
        var c = Assert.Single(collaterals.At("get_collaterals_response.success").EnumerateArray());
        c.HasKeys("id", "name", "digits");
        Assert.Equal("USD", c.GetProperty("id").GetString());
        Assert.Equal(2, c.GetProperty("digits").GetInt32());
    }

    [Fact]
    public async Task Positions_opened_by_runner_count_against_free_margin_on_withdrawal()
    {
        await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 5));
        // 0.05 lot EURUSD at 1.10002 with 1:100 needs 55.00 USD margin; 100 − 55 leaves 45 free.
        var reply = await _newer.CallAsync("update_balance", Newer(_login, -60m, "withdrawal", "fm"));
        Assert.Equal("not_enough_balance", reply.At("update_balance_response.error").GetString());
    }

    /// <summary>The account's newest ledger entry, from the history store (the engine keeps no ledger).</summary>
    private async Task<LedgerEntry> LastLedgerEntryAsync()
    {
        var reader = _server.Services.GetRequiredService<HistoryPipeline>().Reader;
        var page = await reader.GetLedgerAsync(new HistoryQuery { Login = _login, Limit = int.MaxValue });
        return page.Rows[^1];
    }
}
