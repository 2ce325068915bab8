using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Integration.Auth;
using Dealwire.Integration.Contracts.Accounts;
using Dealwire.Integration.Hosting;
using Dealwire.Security;
using Grpc.Core;

namespace Dealwire.Integration.Accounts;

/// <summary>
/// <c>AccountsIntegrationGrpcService</c>: accounts are engine accounts (login = AccountId), created and changed by
/// the same commands the Server API's MngAddAccount/MngUpdateAccount submit, funded by the ledger command the
/// Manager API's update_balance submits, with the same rights (set_accounts, set_accounts_balance, see_accounts).
/// </summary>
public sealed class AccountsIntegrationService(IntegrationGateway gateway) : AccountsIntegrationGrpcService.AccountsIntegrationGrpcServiceBase
{
    /// <summary>Creates are serialized here so two concurrent retries of one ProcessId cannot both create an account.</summary>
    private static readonly SemaphoreSlim CreateGate = new(1, 1);

    public override async Task<CreateAccountGrpcResponse> CreateAccount(CreateAccountGrpcRequest request, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SetAccounts);
        var processId = Refusals.ProcessId(request.ProcessId);
        long login = 0;
        if (request.AccountId.Length > 0)
        {
            login = WireNumbers.Login(request.AccountId) ?? throw Refusals.InvalidArgument("AccountId must be a Dealwire login (a positive decimal number) or empty");
        }
        if (request.Metadata.Keys.Any(IntegrationMarks.IsReserved)) throw Refusals.InvalidArgument("Metadata keys starting with '$yft.' are reserved");
        var fingerprint = ProcessMark.FingerprintOf(request.TraderId, request.AccountId, request.Leverage, request.Currency, request.TradingGroup, request.Metadata);
        var ct = context.CancellationToken;

        await CreateGate.WaitAsync(ct);
        try
        {
            // A retry answers the account its first attempt created, whatever changed since; a different request
            // under the same ProcessId answers the code alone and creates nothing.
            if (FindCreated(caller, processId) is { } created)
            {
                return created.Fingerprint == fingerprint
                    ? new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.ProcessIdDuplicate, Account = AccountModels.From(created.Account) }
                    : new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.ProcessIdDuplicate };
            }
            if (request.TraderId.Length == 0) return new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.TraderNotFound };
            if (gateway.View.GetGroup(request.TradingGroup) is not { } group || !caller.Sees(group.Name))
            {
                return new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.TradingGroupNotFound };
            }
            if (!string.Equals(group.Currency, request.Currency, StringComparison.OrdinalIgnoreCase))
            {
                return new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.CollateralCurrencyNotFound };
            }
            if (LeverageOf(request.Leverage) is not { } leverage) return new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.InvalidLeverage };

            var marks = new IntegrationMarks(request.Metadata, new ProcessMark(caller.Actor, processId, fingerprint), null);
            var profile = new AccountProfile
            {
                Login = login,
                Group = group.Name,
                Name = request.TraderId,
                ExternalId = request.TraderId,
                Leverage = leverage,
                ApiData = marks.Serialize(),
            };
            var result = await gateway.SubmitAsync(new Engine.Commands.CreateAccount(profile) { Actor = caller.Actor }, ct);
            if (result.Code == ReturnCode.LoginExists) throw new RpcException(new Status(StatusCode.AlreadyExists, $"account {login} exists (created under another ProcessId)"));
            if (!result.IsOk || result.Value is not { } snapshot) throw EngineRefusal(result.Code, result.Message);
            var account = await gateway.ReadAfterAsync(result.Sequence, v => v.GetAccount(snapshot.Profile.Login), ct) ?? snapshot;
            return new CreateAccountGrpcResponse { Code = AccountsIntegrationOperationCode.Ok, Account = AccountModels.From(account) };
        }
        finally
        {
            CreateGate.Release();
        }
    }

    public override async Task GetAccounts(GetAccountsGrpcRequest request, IServerStreamWriter<AccountGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SeeAccounts);
        var ct = context.CancellationToken;
        IEnumerable<AccountSnapshot> accounts;
        if (request.HasAccountId)
        {
            accounts = WireNumbers.Login(request.AccountId) is { } login && gateway.View.GetAccount(login) is { } one && caller.Sees(one.Profile.Group) ? [one] : [];
        }
        else
        {
            accounts = gateway.View.GetAccounts(caller.Mask);
        }
        // One account at a time: each write waits for the client's flow-control window (back-pressure), and a
        // cancelled call stops the enumeration at the next account.
        foreach (var account in accounts)
        {
            ct.ThrowIfCancellationRequested();
            if (request.HasTraderId && AccountModels.TraderOf(account.Profile) != request.TraderId) continue;
            await responseStream.WriteAsync(AccountModels.From(account), ct);
        }
    }

    public override async Task<UpdateAccountBalanceGrpcResponse> UpdateAccountBalance(UpdateAccountBalanceGrpcRequest request, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SetBalance);
        var processId = Refusals.ProcessId(request.ProcessId);
        var kind = AccountModels.KindOf(request.Reason) ?? throw Refusals.InvalidArgument($"Reason {(int)request.Reason} is not an UpdateBalanceReason");
        if (!WireNumbers.TryDecimal(request.Delta, out var delta) || delta == 0) throw Refusals.InvalidArgument("Delta must be a non-zero number");
        if (!SignFits(kind, delta)) throw Refusals.InvalidArgument($"Delta of a {request.Reason} must be {(delta > 0 ? "negative" : "positive")}");
        if (request.HasReferenceTransactionId && request.ReferenceTransactionId.Length > Refusals.MaxProcessIdLength)
        {
            throw Refusals.InvalidArgument($"ReferenceTransactionId must be at most {Refusals.MaxProcessIdLength} characters");
        }
        var ct = context.CancellationToken;
        var (code, account) = Target(caller, request.AccountId, request.TraderId);
        if (account is null) return new UpdateAccountBalanceGrpcResponse { Result = code };
        var digits = gateway.View.GetGroup(account.Profile.Group)?.CurrencyDigits ?? 2;
        if (decimal.Round(delta, digits) != delta) throw Refusals.InvalidArgument($"Delta has more than {digits} decimals of {account.Margin.Currency}");

        var key = IdempotencyKeys.For("UpdateAccountBalance", processId);
        // The balance check is for new operations only: a retry answers its booking whatever the balance is now.
        if (!request.AllowNegativeBalance && delta < 0 && account.Margin.Balance + delta < 0
            && await gateway.FindRetryAsync(caller.Actor, key, ct) is null)
        {
            return new UpdateAccountBalanceGrpcResponse { Result = AccountsIntegrationOperationCode.NotEnoughBalance, Account = AccountModels.From(account) };
        }
        var result = await gateway.SubmitAsync(new PostLedger(account.Profile.Login, kind, delta)
        {
            Comment = request.Comment,
            IdempotencyKey = key,
            Reference = request.HasReferenceTransactionId ? request.ReferenceTransactionId : null,
            Force = request.AllowNegativeBalance,
            Actor = caller.Actor,
        }, ct);
        var after = await gateway.ReadAfterAsync(result.Sequence, v => v.GetAccount(account.Profile.Login), ct) ?? account;
        var response = new UpdateAccountBalanceGrpcResponse { Account = AccountModels.From(after) };
        switch (result.Code)
        {
            case ReturnCode.Ok when result.Value is { } entry:
                response.Result = AccountsIntegrationOperationCode.Ok;
                response.OperationId = WireNumbers.Text(entry.Id);
                break;
            case ReturnCode.OkNone when result.Value is { } original:
                response.Result = AccountsIntegrationOperationCode.ProcessIdDuplicate;
                response.OperationId = WireNumbers.Text(original.Id);
                break;
            case ReturnCode.ErrDuplicate:
                response.Result = AccountsIntegrationOperationCode.ProcessIdDuplicate;
                break;
            case ReturnCode.TradeNoMoney:
                response.Result = AccountsIntegrationOperationCode.NotEnoughBalance;
                break;
            case ReturnCode.UserNotFound or ReturnCode.ErrNotFound:
                response.Result = AccountsIntegrationOperationCode.AccountNotFound;
                break;
            default:
                throw EngineRefusal(result.Code, result.Message);
        }
        return response;
    }

    public override async Task<UpdateAccountGrpcResponse> UpdateAccount(UpdateAccountGrpcRequest request, ServerCallContext context)
    {
        var caller = ManagerKeyInterceptor.CallerOf(context);
        caller.Require(Rights.SetAccounts);
        var processId = Refusals.ProcessId(request.ProcessId);
        var ct = context.CancellationToken;
        var (code, account) = Target(caller, request.AccountId, request.TraderId);
        if (account is null) return new UpdateAccountGrpcResponse { Result = code };
        var fingerprint = ProcessMark.FingerprintOf(request.TraderId, request.AccountId,
            request.HasTradingDisabled ? request.TradingDisabled : null, request.HasTradingGroup ? request.TradingGroup : null,
            request.HasLeverage ? request.Leverage : null);
        var marks = IntegrationMarks.Parse(account.Profile.ApiData);
        // The account remembers its last update's ProcessId (and its create's): a repeat of either changes nothing.
        if (marks.Update is { } last && last.Names(caller.Actor, processId) || marks.Create is { } first && first.Names(caller.Actor, processId))
        {
            return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.ProcessIdDuplicate, Account = AccountModels.From(account) };
        }
        string? group = null;
        if (request.HasTradingGroup)
        {
            if (gateway.View.GetGroup(request.TradingGroup) is not { } g || !caller.Sees(g.Name))
            {
                return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.TradingGroupNotFound, Account = AccountModels.From(account) };
            }
            group = g.Name;
        }
        int? leverage = null;
        if (request.HasLeverage)
        {
            leverage = LeverageOf(request.Leverage);
            if (leverage is null or 0) return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.InvalidLeverage, Account = AccountModels.From(account) };
        }
        var patch = new AccountPatch
        {
            Group = group,
            Leverage = leverage,
            ReadOnly = request.HasTradingDisabled ? request.TradingDisabled : null,
            ApiData = (marks with { Update = new ProcessMark(caller.Actor, processId, fingerprint) }).Serialize(),
        };
        var result = await gateway.SubmitAsync(new PatchAccount(account.Profile.Login, patch) { Actor = caller.Actor }, ct);
        if (result.Code is ReturnCode.UserNotFound) return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.AccountNotFound };
        if (result.Code is ReturnCode.GroupNotFound) return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.TradingGroupNotFound, Account = AccountModels.From(account) };
        if (!result.IsOk) throw EngineRefusal(result.Code, result.Message);
        var after = await gateway.ReadAfterAsync(result.Sequence, v => v.GetAccount(account.Profile.Login), ct) ?? result.Value ?? account;
        return new UpdateAccountGrpcResponse { Result = AccountsIntegrationOperationCode.Ok, Account = AccountModels.From(after) };
    }

    /// <summary>
    /// The account a request names: unknown, not a login, or outside the caller's mask → AccountNotFound (the mask
    /// does not reveal which logins exist); an account of another trader → TraderNotFound.
    /// </summary>
    private (AccountsIntegrationOperationCode Code, AccountSnapshot? Account) Target(Caller caller, string accountId, string traderId)
    {
        if (WireNumbers.Login(accountId) is not { } login || gateway.View.GetAccount(login) is not { } account || !caller.Sees(account.Profile.Group))
        {
            return (AccountsIntegrationOperationCode.AccountNotFound, null);
        }
        return AccountModels.TraderOf(account.Profile) == traderId ? (AccountsIntegrationOperationCode.Ok, account) : (AccountsIntegrationOperationCode.TraderNotFound, null);
    }

    private (AccountSnapshot Account, string Fingerprint)? FindCreated(Caller caller, string processId)
    {
        foreach (var account in gateway.View.GetAccounts(Engine.Model.GroupMask.All))
        {
            var apiData = account.Profile.ApiData;
            if (apiData.Length == 0 || !apiData.Contains(processId, StringComparison.Ordinal)) continue;
            if (IntegrationMarks.Parse(apiData).Create is { } mark && mark.Names(caller.Actor, processId)) return (account, mark.Fingerprint);
        }
        return null;
    }

    /// <summary>0 = the group's default; otherwise a whole number within the engine's bounds (1–10000).</summary>
    private static int? LeverageOf(double value) =>
        WireNumbers.TryDecimal(value, out var d) && d == decimal.Truncate(d) && d is >= 0 and <= 10_000 ? (int)d : null;

    private static bool SignFits(LedgerKind kind, decimal delta) => kind switch
    {
        LedgerKind.Deposit or LedgerKind.WithdrawalCancelled => delta > 0,
        LedgerKind.Withdrawal => delta < 0,
        _ => true,
    };

    private static RpcException EngineRefusal(ReturnCode code, string message) =>
        new(new Status(StatusCode.FailedPrecondition, $"{code.WireName()}: {message}"));
}
