using System.Globalization;
using Dealwire.Integration.Contracts.Accounts;
using Dealwire.Integration.Contracts.Engine;
using Grpc.Core;

namespace Dealwire.Integration.Tests;

/// <summary>
/// Bad input, each answered with its documented outcome (docs/integration-grpc.md) and nothing changed: the account's
/// balance and positions are read back after every refusal.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BadInputTests(IntegrationFixture fixture)
{
    private static string Text(long login) => login.ToString(CultureInfo.InvariantCulture);

    private async Task<double> BalanceAsync(string accountId) =>
        Assert.Single(await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { AccountId = accountId }, fixture.Crm))).Balance;

    [Fact]
    public async Task Unknown_accounts_answer_AccountNotFound_on_every_service()
    {
        var balance = await fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "x", AccountId = "999999999", Delta = 10, Reason = UpdateBalanceReason.Deposit, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.AccountNotFound, balance.Result);
        var notALogin = await fixture.Accounts.UpdateAccountAsync(new UpdateAccountGrpcRequest
        {
            TraderId = "x", AccountId = "acc-abc", Leverage = 10, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.AccountNotFound, notALogin.Result);
        var open = await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = "x", AccountId = "999999999", Instrument = "EURUSD", Lots = 1, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.AccountNotFound, open.Status);
    }

    [Fact]
    public async Task Another_traders_account_answers_TraderNotFound_and_AccountNotFound()
    {
        var account = await fixture.CreateAccountAsync("owner", deposit: 100);
        var balance = await fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "intruder", AccountId = account.Id, Delta = 10, Reason = UpdateBalanceReason.Deposit, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.TraderNotFound, balance.Result);
        var open = await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = "intruder", AccountId = account.Id, Instrument = "EURUSD", Lots = 0.01, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm);
        Assert.Equal(EngineOperationCode.AccountNotFound, open.Status);
        Assert.Equal(100, await BalanceAsync(account.Id));
    }

    [Theory]
    [InlineData(0, UpdateBalanceReason.Deposit)]
    [InlineData(double.NaN, UpdateBalanceReason.Deposit)]
    [InlineData(double.PositiveInfinity, UpdateBalanceReason.BalanceCorrection)]
    [InlineData(-5, UpdateBalanceReason.Deposit)]
    [InlineData(5, UpdateBalanceReason.Withdrawal)]
    [InlineData(0.001, UpdateBalanceReason.Deposit)]
    public async Task Bad_amounts_are_INVALID_ARGUMENT_and_book_nothing(double delta, UpdateBalanceReason reason)
    {
        var account = await fixture.CreateAccountAsync("amounts", deposit: 50);
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "amounts", AccountId = account.Id, Delta = delta, Reason = reason, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(50, await BalanceAsync(account.Id));
    }

    [Fact]
    public async Task A_withdrawal_beyond_the_balance_is_NotEnoughBalance_unless_negative_balances_are_allowed()
    {
        var account = await fixture.CreateAccountAsync("wd", deposit: 50);
        var request = new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "wd", AccountId = account.Id, Delta = -80, Reason = UpdateBalanceReason.BalanceCorrection, ProcessId = IntegrationFixture.Unique("p"),
        };
        var refused = await fixture.Accounts.UpdateAccountBalanceAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.NotEnoughBalance, refused.Result);
        Assert.Equal(50, await BalanceAsync(account.Id));
        request.AllowNegativeBalance = true;
        request.ProcessId = IntegrationFixture.Unique("p");
        var forced = await fixture.Accounts.UpdateAccountBalanceAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, forced.Result);
        Assert.Equal(-30, forced.Account.Balance);
    }

    [Fact]
    public async Task Bad_lots_and_instruments_have_their_engine_codes()
    {
        var account = await fixture.CreateAccountAsync("lots", deposit: 1_000);
        async Task<EngineOperationCode> Open(string instrument, double lots) => (await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = "lots", AccountId = account.Id, Instrument = instrument, Lots = lots, ProcessId = IntegrationFixture.Unique("p"),
        }, fixture.Crm)).Status;

        Assert.Equal(EngineOperationCode.OperationIsTooLow, await Open("EURUSD", 0));
        Assert.Equal(EngineOperationCode.OperationIsTooLow, await Open("EURUSD", -1));
        Assert.Equal(EngineOperationCode.OperationIsTooLow, await Open("EURUSD", 0.001));
        Assert.Equal(EngineOperationCode.MaxLotsSizeReached, await Open("EURUSD", 500));
        Assert.Equal(EngineOperationCode.InstrumentNotFound, await Open("NOPE", 1));
        Assert.Empty(await IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(new GetActivePositionsGrpcRequest { AccountId = account.Id }, fixture.Crm)));
        Assert.Equal(1_000, await BalanceAsync(account.Id));
    }

    [Fact]
    public async Task Missing_and_wrong_keys_are_UNAUTHENTICATED_and_change_nothing()
    {
        var login = IntegrationFixture.NewLogin();
        CreateAccountGrpcRequest Request() => new()
        {
            TraderId = "anon", AccountId = login, Currency = "USD", Leverage = 100, TradingGroup = "demo", ProcessId = IntegrationFixture.Unique("p"),
        };
        var missing = await Assert.ThrowsAsync<RpcException>(() => fixture.Accounts.CreateAccountAsync(Request()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => fixture.Accounts.CreateAccountAsync(Request(), IntegrationFixture.Bearer("dwk_not-a-key")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        var notBearer = await Assert.ThrowsAsync<RpcException>(() => fixture.Accounts.CreateAccountAsync(Request(),
            new Metadata { { "authorization", "Basic " + fixture.CrmKey } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, notBearer.StatusCode);
        var stream = await Assert.ThrowsAsync<RpcException>(() => IntegrationFixture.ReadAllAsync(fixture.Engine.GetActivePositions(new GetActivePositionsGrpcRequest())));
        Assert.Equal(StatusCode.Unauthenticated, stream.StatusCode);
        // The sentinel: the same login is still free (nothing was created).
        Assert.Empty(await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { AccountId = login }, fixture.Crm)));
    }

    [Fact]
    public async Task An_account_outside_the_keys_mask_is_not_found_and_not_listed()
    {
        var demo = IntegrationFixture.Bearer(fixture.DemoKey);
        var netting = Text(IntegrationFixture.NettingLogin);
        var before = await BalanceAsync(netting);
        var funded = await fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
        {
            TraderId = netting, AccountId = netting, Delta = 10, Reason = UpdateBalanceReason.Deposit, ProcessId = IntegrationFixture.Unique("p"),
        }, demo);
        Assert.Equal(AccountsIntegrationOperationCode.AccountNotFound, funded.Result);
        var open = await fixture.Engine.OpenPositionAsync(new OpenPositionGrpcRequest
        {
            TraderId = netting, AccountId = netting, Instrument = "EURUSD", Lots = 0.01, ProcessId = IntegrationFixture.Unique("p"),
        }, demo);
        Assert.Equal(EngineOperationCode.AccountNotFound, open.Status);
        var created = await fixture.Accounts.CreateAccountAsync(new CreateAccountGrpcRequest
        {
            TraderId = "t", AccountId = IntegrationFixture.NewLogin(), Currency = "USD", Leverage = 100, TradingGroup = "demo-netting", ProcessId = IntegrationFixture.Unique("p"),
        }, demo);
        Assert.Equal(AccountsIntegrationOperationCode.TradingGroupNotFound, created.Code);

        var visible = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest(), demo));
        Assert.Contains(visible, a => a.Id == Text(IntegrationFixture.HedgingLogin));
        Assert.All(visible, a => Assert.Equal("demo", a.TradingGroup));
        Assert.Equal(before, await BalanceAsync(netting));
    }

    [Fact]
    public async Task A_malformed_ProcessId_is_INVALID_ARGUMENT()
    {
        var account = await fixture.CreateAccountAsync("pid", deposit: 10);
        foreach (var processId in new[] { "", new string('x', 129) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
            {
                TraderId = "pid", AccountId = account.Id, Delta = 1, Reason = UpdateBalanceReason.Deposit, ProcessId = processId,
            }, fixture.Crm).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        Assert.Equal(10, await BalanceAsync(account.Id));
    }
}
