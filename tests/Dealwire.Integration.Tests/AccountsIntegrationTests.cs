using Dealwire.Integration.Contracts.Accounts;
using Grpc.Core;

namespace Dealwire.Integration.Tests;

/// <summary>AccountsIntegrationGrpcService against the real process: create, list, fund, update, and ProcessId idempotency.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class AccountsIntegrationTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task CreateAccount_creates_an_engine_account_and_a_retry_answers_the_same_account()
    {
        var login = IntegrationFixture.NewLogin();
        var request = new CreateAccountGrpcRequest
        {
            TraderId = "trader-a", AccountId = login, Currency = "USD", Leverage = 50, TradingGroup = "demo", ProcessId = IntegrationFixture.Unique("c"),
        };
        request.Metadata.Add("crm", "42");
        var created = await fixture.Accounts.CreateAccountAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, created.Code);
        var a = created.Account;
        Assert.Equal(login, a.Id);
        Assert.Equal("trader-a", a.TraderId);
        Assert.Equal("USD", a.Currency);
        Assert.Equal(50, a.Leverage);
        Assert.Equal("demo", a.TradingGroup);
        Assert.Equal(request.ProcessId, a.CreateProcessId);
        Assert.Equal("42", a.Metadata["crm"]);
        Assert.Single(a.Metadata);
        Assert.False(a.TradingDisabled);
        Assert.InRange(a.DateCreate, 1_600_000_000_000UL, 4_000_000_000_000UL); // Unix ms

        var again = await fixture.Accounts.CreateAccountAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.ProcessIdDuplicate, again.Code);
        Assert.Equal(login, again.Account.Id);

        var listed = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { TraderId = "trader-a" }, fixture.Crm));
        Assert.Single(listed, x => x.Id == login);
    }

    [Fact]
    public async Task A_ProcessId_reused_for_a_different_create_answers_ProcessIdDuplicate_and_creates_nothing()
    {
        var processId = IntegrationFixture.Unique("c");
        var first = await fixture.Accounts.CreateAccountAsync(new CreateAccountGrpcRequest
        {
            TraderId = "trader-b", AccountId = IntegrationFixture.NewLogin(), Currency = "USD", Leverage = 100, TradingGroup = "demo", ProcessId = processId,
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, first.Code);
        var otherLogin = IntegrationFixture.NewLogin();
        var different = await fixture.Accounts.CreateAccountAsync(new CreateAccountGrpcRequest
        {
            TraderId = "trader-b", AccountId = otherLogin, Currency = "USD", Leverage = 100, TradingGroup = "demo", ProcessId = processId,
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.ProcessIdDuplicate, different.Code);
        Assert.Null(different.Account);
        var listed = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(new GetAccountsGrpcRequest { AccountId = otherLogin }, fixture.Crm));
        Assert.Empty(listed);
    }

    [Fact]
    public async Task UpdateAccountBalance_books_once_per_ProcessId_and_refuses_a_different_payload()
    {
        var account = await fixture.CreateAccountAsync("trader-c");
        var request = new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "trader-c", AccountId = account.Id, Delta = 1234.56, Reason = UpdateBalanceReason.Deposit,
            ProcessId = IntegrationFixture.Unique("dep"), Comment = "wire in", ReferenceTransactionId = "psp-1",
        };
        var booked = await fixture.Accounts.UpdateAccountBalanceAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, booked.Result);
        Assert.True(booked.HasOperationId);
        Assert.Equal(1234.56, booked.Account.Balance);

        var retried = await fixture.Accounts.UpdateAccountBalanceAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.ProcessIdDuplicate, retried.Result);
        Assert.Equal(booked.OperationId, retried.OperationId);
        Assert.Equal(1234.56, retried.Account.Balance);

        var different = request.Clone();
        different.Delta = 1;
        var refused = await fixture.Accounts.UpdateAccountBalanceAsync(different, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.ProcessIdDuplicate, refused.Result);
        Assert.False(refused.HasOperationId);
        Assert.Equal(1234.56, refused.Account.Balance);

        var withdrawal = await fixture.Accounts.UpdateAccountBalanceAsync(new UpdateAccountBalanceGrpcRequest
        {
            TraderId = "trader-c", AccountId = account.Id, Delta = -0.56, Reason = UpdateBalanceReason.Withdrawal, ProcessId = IntegrationFixture.Unique("wd"),
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, withdrawal.Result);
        Assert.Equal(1234m, (decimal)withdrawal.Account.Balance);
    }

    [Fact]
    public async Task UpdateAccount_changes_leverage_group_and_trading_flag_once_per_ProcessId()
    {
        var account = await fixture.CreateAccountAsync("trader-d");
        var request = new UpdateAccountGrpcRequest
        {
            TraderId = "trader-d", AccountId = account.Id, Leverage = 200, TradingDisabled = true, TradingGroup = "demo-netting",
            ProcessId = IntegrationFixture.Unique("upd"),
        };
        var updated = await fixture.Accounts.UpdateAccountAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, updated.Result);
        Assert.Equal(200, updated.Account.Leverage);
        Assert.True(updated.Account.TradingDisabled);
        Assert.Equal("demo-netting", updated.Account.TradingGroup);
        Assert.Equal(request.ProcessId, updated.Account.LastUpdateProcessId);

        var again = await fixture.Accounts.UpdateAccountAsync(request, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.ProcessIdDuplicate, again.Result);

        var enable = await fixture.Accounts.UpdateAccountAsync(new UpdateAccountGrpcRequest
        {
            TraderId = "trader-d", AccountId = account.Id, TradingDisabled = false, ProcessId = IntegrationFixture.Unique("upd"),
        }, fixture.Crm);
        Assert.Equal(AccountsIntegrationOperationCode.Ok, enable.Result);
        Assert.False(enable.Account.TradingDisabled);
        Assert.Equal(200, enable.Account.Leverage);
    }

    [Fact]
    public async Task CreateAccount_refuses_unknown_group_currency_leverage_and_trader_with_their_codes()
    {
        async Task<AccountsIntegrationOperationCode> Create(string trader, string group, string currency, double leverage) =>
            (await fixture.Accounts.CreateAccountAsync(new CreateAccountGrpcRequest
            {
                TraderId = trader, AccountId = IntegrationFixture.NewLogin(), Currency = currency, Leverage = leverage, TradingGroup = group,
                ProcessId = IntegrationFixture.Unique("bad"),
            }, fixture.Crm)).Code;

        Assert.Equal(AccountsIntegrationOperationCode.TradingGroupNotFound, await Create("t", "no-such-group", "USD", 100));
        Assert.Equal(AccountsIntegrationOperationCode.CollateralCurrencyNotFound, await Create("t", "demo", "EUR", 100));
        Assert.Equal(AccountsIntegrationOperationCode.InvalidLeverage, await Create("t", "demo", "USD", 33.5));
        Assert.Equal(AccountsIntegrationOperationCode.InvalidLeverage, await Create("t", "demo", "USD", 20_000));
        Assert.Equal(AccountsIntegrationOperationCode.TraderNotFound, await Create("", "demo", "USD", 100));
    }

    [Fact]
    public async Task The_x_api_key_header_authenticates_like_the_bearer_form()
    {
        var listed = await IntegrationFixture.ReadAllAsync(fixture.Accounts.GetAccounts(
            new GetAccountsGrpcRequest { AccountId = IntegrationFixture.HedgingLogin.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Metadata { { "x-api-key", fixture.CrmKey } }));
        Assert.Single(listed);
    }
}
