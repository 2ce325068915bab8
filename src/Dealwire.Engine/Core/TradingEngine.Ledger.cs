using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>Money movements. Balance and credit change only here, one ledger entry per change.</summary>
public sealed partial class TradingEngine
{
    private (ReturnCode, string, object?) Post(PostLedger c)
    {
        if (!_accounts.TryGetValue(c.Login, out var account)) return Reject(ReturnCode.UserNotFound, $"account {c.Login} not found");
        var digits = account.GroupConfig.CurrencyDigits;
        var amount = c.Amount;
        if (amount == 0) return Reject(ReturnCode.InvalidData, "amount must not be zero");
        if (Money.Round(amount, digits) != amount) return Reject(ReturnCode.InvalidData, $"amount has more than {digits} decimals");
        if (Math.Abs(amount) > 1_000_000_000_000m) return Reject(ReturnCode.InvalidData, "amount is out of range");

        switch (c.Kind)
        {
            case LedgerKind.Deposit or LedgerKind.CreditIn or LedgerKind.WithdrawalCancelled or LedgerKind.Bonus when amount < 0:
                return Reject(ReturnCode.InvalidData, $"{c.Kind} amount must be positive");
            case LedgerKind.Withdrawal or LedgerKind.CreditOut or LedgerKind.Charge when amount > 0:
                return Reject(ReturnCode.InvalidData, $"{c.Kind} amount must be negative");
        }

        if (amount < 0 && !c.Force)
        {
            if (c.Kind.TouchesCredit())
            {
                if (account.Credit + amount < 0) return Reject(ReturnCode.TradeNoMoney, "not enough credit");
            }
            else
            {
                // A withdrawal may not take the balance below zero nor eat the margin of open positions.
                if (account.Balance + amount < 0) return Reject(ReturnCode.TradeNoMoney, "not enough balance");
                if (account.FreeMargin + amount < 0) return Reject(ReturnCode.TradeNoMoney, "not enough free margin");
            }
        }
        if (!account.Profile.Enabled && amount > 0 && c.Kind is LedgerKind.Deposit)
        {
            return Reject(ReturnCode.AccountDisabled, "account is disabled");
        }

        var entry = Book(account, c.Kind, amount, NextTicket(), c.Comment, c.IdempotencyKey, reference: c.Reference);
        EmitFinanceRecord(entry);
        EvaluateLevel(account);
        return Ok(entry);
    }

    private (ReturnCode, string, object?) Reverse(ReverseLedger c)
    {
        // The engine keeps no ledger: the command carries the operation's entry as the history store has it.
        if (c.Entry is not { } original || original.Ticket != c.Ticket || !IsFinanceOperation(original) || original.Id >= _nextLedgerId)
        {
            return Reject(ReturnCode.ErrNotFound, $"finance operation {c.Ticket} not found");
        }
        if (original.ReversesId != 0 || _ledgerReversed.Contains(original.Id)) return Reject(ReturnCode.TradeIncorrectState, "operation already reversed");
        if (!_accounts.TryGetValue(original.Login, out var account)) return Reject(ReturnCode.ErrNotFound, $"finance operation {c.Ticket} not found");
        // An amended operation is reversed at its amended amount: the original entry plus every correction.
        var amount = -AmountOf(original);
        if (amount < 0 && (original.Kind.TouchesCredit() ? account.Credit + amount < 0 : account.Balance + amount < 0))
        {
            return Reject(ReturnCode.TradeNoMoney, "reversal would make the balance negative");
        }
        var entry = Book(account, original.Kind, amount, original.Ticket, c.Comment.Length > 0 ? c.Comment : $"cancel #{original.Ticket}", null, original.Id);
        _ledgerReversed.Add(original.Id);
        var deleted = FinanceRecord(original) with { Profit = -amount, State = TradeState.Deleted, UpdateTime = Now, ChangedBy = _current.Actor };
        Emit(new TradeEvent(RecordChange.Delete, deleted));
        EvaluateLevel(account);
        return Ok(entry);
    }

    private (ReturnCode, string, object?) Amend(AmendLedger c)
    {
        if (c.Entry is not { } original || original.Ticket != c.Ticket || !IsFinanceOperation(original) || original.Id >= _nextLedgerId)
        {
            return Reject(ReturnCode.ErrNotFound, $"finance operation {c.Ticket} not found");
        }
        if (original.ReversesId != 0 || _ledgerReversed.Contains(original.Id)) return Reject(ReturnCode.TradeIncorrectState, "operation was reversed");
        if (!_accounts.TryGetValue(original.Login, out var account)) return Reject(ReturnCode.ErrNotFound, $"finance operation {c.Ticket} not found");
        var digits = account.GroupConfig.CurrencyDigits;
        if (c.Amount == 0) return Reject(ReturnCode.InvalidData, "amount must not be zero; delete the operation instead");
        if (Math.Sign(c.Amount) != Math.Sign(original.Amount))
        {
            return Reject(ReturnCode.InvalidData, $"amount must keep the operation's sign ({(original.Amount > 0 ? "positive" : "negative")})");
        }
        if (Money.Round(c.Amount, digits) != c.Amount) return Reject(ReturnCode.InvalidData, $"amount has more than {digits} decimals");
        if (Math.Abs(c.Amount) > 1_000_000_000_000m) return Reject(ReturnCode.InvalidData, "amount is out of range");
        var current = AmountOf(original);
        var difference = c.Amount - current;
        if (difference == 0) return Reject(ReturnCode.InvalidData, $"finance operation {c.Ticket} already has the amount {c.Amount}");
        if (difference < 0 && (original.Kind.TouchesCredit() ? account.Credit + difference < 0 : account.Balance + difference < 0))
        {
            return Reject(ReturnCode.TradeNoMoney, original.Kind.TouchesCredit() ? "not enough credit" : "not enough balance");
        }
        var comment = c.Comment.Length > 0 ? c.Comment : $"correction #{original.Ticket}: {current} -> {c.Amount}";
        var entry = Book(account, original.Kind, difference, original.Ticket, comment, c.IdempotencyKey);
        _amendedFinance[original.Ticket] = c.Amount;
        var amended = FinanceRecord(original) with { Profit = c.Amount, UpdateTime = Now, ChangedBy = _current.Actor };
        Emit(new TradeEvent(RecordChange.Update, amended));
        EvaluateLevel(account);
        return Ok(entry);
    }

    /// <summary>A finance operation's amount now: its first entry's, or the last correction's.</summary>
    private decimal AmountOf(LedgerEntry operation) => _amendedFinance.GetValueOrDefault(operation.Ticket, operation.Amount);

    /// <summary>
    /// Finance operations whose amount was corrected (ticket → amount now): what a later correction or reversal
    /// starts from, since the engine keeps no ledger. Grows with corrections only.
    /// </summary>
    private readonly Dictionary<long, decimal> _amendedFinance = new();

    /// <summary>
    /// A finance operation has its own ticket (deposits, withdrawals, credit, corrections, bonuses, charges, agent
    /// commission, stop-out compensation). Entries a deal settles (result, commission, swap) are not operations.
    /// </summary>
    private static bool IsFinanceOperation(LedgerEntry e) => e.Kind is not (LedgerKind.TradingResult or LedgerKind.Commission or LedgerKind.Swap);

    /// <summary>
    /// Ids of the ledger entries already reversed: the guard against reversing twice. Grows with reversals only.
    /// </summary>
    private readonly HashSet<long> _ledgerReversed = new();

    /// <summary>Books a movement: the only place balance or credit change.</summary>
    private LedgerEntry Book(Account account, LedgerKind kind, decimal amount, long ticket, string comment, string? idempotencyKey, long reverses = 0, string? reference = null)
    {
        if (kind.TouchesCredit()) account.Credit += amount;
        else account.Balance += amount;
        var entry = new LedgerEntry
        {
            Id = _nextLedgerId++,
            Login = account.Login,
            Kind = kind,
            Amount = amount,
            BalanceAfter = account.Balance,
            CreditAfter = account.Credit,
            Ticket = ticket,
            Comment = comment,
            Time = Now,
            IdempotencyKey = idempotencyKey,
            Reference = reference,
            Actor = _current.Actor,
            ReversesId = reverses,
        };
        account.BalanceTime = Now;
        account.ChangedAt = _changeClock;
        Emit(new BalanceEvent(entry, FiguresOf(account)));
        return entry;
    }

    /// <summary>
    /// Books a movement the engine makes on its own that no deal record carries (agent commission, stop-out
    /// compensation) as a finance operation with its own ticket, so the account's history (finance records
    /// plus closed deals) still adds up to its balance.
    /// </summary>
    private LedgerEntry BookFinance(Account account, LedgerKind kind, decimal amount, string comment)
    {
        var entry = Book(account, kind, amount, NextTicket(), comment, null);
        EmitFinanceRecord(entry);
        return entry;
    }

    /// <summary>Finance operations also appear in trade history, as the Server API shows them (cmd 6-9, amount in profit).</summary>
    private void EmitFinanceRecord(LedgerEntry entry) => Emit(new TradeEvent(RecordChange.Add, FinanceRecord(entry)));

    /// <summary>The history record of a finance operation: everything in it comes from its ledger entry.</summary>
    private static TradeRecord FinanceRecord(LedgerEntry entry) => new()
    {
        Ticket = entry.Ticket,
        Login = entry.Login,
        Command = entry.Kind.ToTradeCommand(entry.Amount),
        State = TradeState.ClosedNormal,
        OpenTime = entry.Time,
        CloseTime = entry.Time,
        Profit = entry.Amount,
        Comment = entry.Comment,
        UpdateTime = entry.Time,
        ChangedBy = entry.Actor,
    };

    private (ReturnCode, string, object?) Notify(AddNotification c)
    {
        var n = c.Notification;
        if (string.IsNullOrEmpty(n.Token) || n.Token.Length > 128) return Reject(ReturnCode.InvalidData, "token must be 1-128 characters");
        if (n.Message.Length > 1024 || n.Description.Length > 4096) return Reject(ReturnCode.InvalidData, "message too long");
        if (n.UserId != 0 && !_accounts.ContainsKey(n.UserId) && n.Access == 0 && n.Type == 0)
        {
            // Notifications to managers carry manager ids, not logins; only plain account notices are checked.
            return Reject(ReturnCode.UserNotFound, $"account {n.UserId} not found");
        }
        var stored = n with { CreateTime = n.CreateTime > 0 ? n.CreateTime : Now };
        Emit(new NotificationEvent(stored));
        return Ok(stored);
    }

    private void NotifyAccount(Account account, NotifyLevel level, string message, string description, int code)
    {
        Emit(new NotificationEvent(new Notification
        {
            Token = $"dw-{_current.Sequence}-{account.Login}-{_events.Count}",
            UserId = account.Login,
            Message = message,
            Description = description,
            Level = level,
            Code = code,
            CreateTime = Now,
        }));
    }
}
