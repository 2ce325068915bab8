using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Accounts;
using Dealwire.Integration.Hosting;

namespace Dealwire.Integration.Accounts;

/// <summary>Engine accounts in the vendor's <see cref="AccountGrpcModel"/> (spec §3.1 and the Manager API mapping of §6).</summary>
public static class AccountModels
{
    public static AccountGrpcModel From(AccountSnapshot account)
    {
        var p = account.Profile;
        var m = account.Margin;
        var marks = IntegrationMarks.Parse(p.ApiData);
        var model = new AccountGrpcModel
        {
            Id = WireNumbers.Text(p.Login),
            TraderId = TraderOf(p),
            Currency = m.Currency,
            Balance = WireNumbers.ToDouble(m.Balance),
            Equity = WireNumbers.ToDouble(m.Equity),
            Margin = WireNumbers.ToDouble(m.Margin),
            TradingDisabled = !p.Enabled || p.ReadOnly,
            Leverage = m.Leverage,
            FreeMargin = WireNumbers.ToDouble(m.FreeMargin),
            MarginLvl = WireNumbers.ToDouble(m.MarginLevel),
            TradingGroup = p.Group,
            DateCreate = WireNumbers.Time(p.RegistrationTime),
            DateUpdate = WireNumbers.Time(Math.Max(Math.Max(p.UpdateTime, m.BalanceTime), p.RegistrationTime)),
            CreateProcessId = marks.Create?.ProcessId ?? "",
            LastUpdateProcessId = (marks.Update ?? marks.Create)?.ProcessId ?? "",
        };
        foreach (var (k, v) in marks.Metadata) model.Metadata[k] = v;
        return model;
    }

    /// <summary>
    /// The CRM's trader id is kept as the account's external id (the Server API's <c>id</c> field). An account made
    /// elsewhere without one belongs to the trader named by its login, as on the Manager API (trader_id = account_id).
    /// </summary>
    public static string TraderOf(AccountProfile profile) => profile.ExternalId.Length > 0 ? profile.ExternalId : WireNumbers.Text(profile.Login);

    public static LedgerKind? KindOf(UpdateBalanceReason reason) => reason switch
    {
        UpdateBalanceReason.TradingResult => LedgerKind.TradingResult,
        UpdateBalanceReason.BalanceCorrection => LedgerKind.BalanceCorrection,
        UpdateBalanceReason.Deposit => LedgerKind.Deposit,
        UpdateBalanceReason.Withdrawal => LedgerKind.Withdrawal,
        UpdateBalanceReason.WithdrawalCanceled => LedgerKind.WithdrawalCancelled,
        UpdateBalanceReason.Commission => LedgerKind.Commission,
        _ => null,
    };
}
