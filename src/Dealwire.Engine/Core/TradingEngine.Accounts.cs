using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Account lifecycle.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Create(CreateAccount c)
    {
        var p = c.Profile;
        if (!_groups.TryGetValue(p.Group, out var group)) return Reject(ReturnCode.GroupNotFound, $"group {p.Group} not found");
        var problem = ValidateProfile(p);
        if (problem is not null) return Reject(ReturnCode.InvalidData, problem);
        var deposit = c.InitialDeposit ?? group.Config.DefaultDeposit;
        if (deposit < 0) return Reject(ReturnCode.InvalidData, "initial deposit cannot be negative");

        var login = p.Login;
        if (login < 0) return Reject(ReturnCode.InvalidData, "login cannot be negative");
        if (!EntityIds.InRange(login)) return Reject(ReturnCode.InvalidData, $"login must not exceed {EntityIds.Max}");
        if (login == 0)
        {
            while (_accounts.ContainsKey(_nextLogin)) _nextLogin++;
            login = _nextLogin++;
        }
        else if (_accounts.ContainsKey(login))
        {
            return Reject(ReturnCode.LoginExists, $"login {login} already exists");
        }

        var profile = p with { Login = login, RegistrationTime = Now, UpdateTime = Now, RegistrationSequence = _current.Sequence };
        var account = new Account(profile, group);
        _accounts.Add(login, account);
        group.Accounts++;
        Emit(new AccountEvent(RecordChange.Add, new AccountSnapshot(profile, FiguresOf(account))));
        if (deposit > 0)
        {
            // A finance operation like any deposit, so the account's history explains its balance.
            BookFinance(account, LedgerKind.Deposit, Money.Round(deposit, group.Config.CurrencyDigits), "Initial deposit");
        }
        return Ok(new AccountSnapshot(account.Profile, FiguresOf(account)));
    }

    private static string? ValidateProfile(AccountProfile p)
    {
        if (p.Leverage is < 0 or > 10_000) return "leverage must be 1-10000";
        if (p.Name.Length > 128 || p.Email.Length > 128 || p.Comment.Length > 256) return "profile field too long";
        // Ids a client supplies are echoed on every protocol; one no client can read breaks them all.
        if (!EntityIds.InRange(p.AgentAccount) || !EntityIds.InRange(p.CustomerId)) return $"ids must be 0-{EntityIds.Max}";
        return null;
    }

    private (ReturnCode, string, object?) Update(UpdateAccount c)
    {
        if (!_accounts.TryGetValue(c.Profile.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Profile.Login} not found");
        var p = c.Profile;
        var problem = ValidateProfile(p);
        if (problem is not null) return Reject(ReturnCode.InvalidData, problem);
        if (!_groups.TryGetValue(p.Group, out var group)) return Reject(ReturnCode.GroupNotFound, $"group {p.Group} not found");
        if (!ReferenceEquals(group, account.Group))
        {
            if (!string.Equals(group.Config.Currency, account.GroupConfig.Currency, StringComparison.Ordinal))
            {
                return Reject(ReturnCode.UserDifferentCurrency, "the new group has another currency");
            }
            account.Group.Accounts--;
            group.Accounts++;
            account.Group = group;
            OnAccountGroupChanged(account);
        }
        account.Profile = p with
        {
            RegistrationTime = account.Profile.RegistrationTime,
            RegistrationSequence = account.Profile.RegistrationSequence,
            UpdateTime = Now,
            PasswordHash = p.PasswordHash.Length > 0 ? p.PasswordHash : account.Profile.PasswordHash,
            InvestorPasswordHash = p.InvestorPasswordHash.Length > 0 ? p.InvestorPasswordHash : account.Profile.InvestorPasswordHash,
        };
        // Leverage or group may have changed: margins and prices follow.
        foreach (var e in account.Exposures)
        {
            e.ConfigVersion = -1;
            Revalue(e);
        }
        EvaluateLevel(account);
        Emit(new AccountEvent(RecordChange.Update, new AccountSnapshot(account.Profile, FiguresOf(account))));
        return Ok(new AccountSnapshot(account.Profile, FiguresOf(account)));
    }

    private (ReturnCode, string, object?) Delete(DeleteAccount c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        if (account.Positions.Count > 0) return Reject(ReturnCode.UserHasTrades, "Account has open trades");
        foreach (var order in account.Orders.ToList())
        {
            RemoveOrder(order);
            Emit(new TradeEvent(RecordChange.Delete, order.ToRecord(0m) with { State = TradeState.Deleted }));
        }
        _accounts.Remove(c.Login);
        account.Group.Accounts--;
        var snapshot = new AccountSnapshot(account.Profile, FiguresOf(account));
        Emit(new AccountEvent(RecordChange.Delete, snapshot));
        return Ok(snapshot);
    }
}
