using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Balance and credit operations (scaletrade-tcp §7.5), booked as signed ledger entries:
/// BalanceOut / CreditOut carry NEGATIVE amounts on the wire, exactly as the engine books them.
/// </summary>
internal static class FinanceCommands
{
    private sealed record Operation(string Name, LedgerKind Kind, TradeCommand Cmd, int Sign, bool CommentRequired);

    private static readonly Operation[] Operations =
    [
        new("BalanceIn", LedgerKind.Deposit, TradeCommand.BalanceIn, +1, false),
        new("BalanceOut", LedgerKind.Withdrawal, TradeCommand.BalanceOut, -1, false),
        new("CreditIn", LedgerKind.CreditIn, TradeCommand.CreditIn, +1, true),
        new("CreditOut", LedgerKind.CreditOut, TradeCommand.CreditOut, -1, true),
    ];

    public static void Register(CommandTable table)
    {
        foreach (var op in Operations)
        {
            table.Add(op.Name, c => Post(c, op, sync: false));
            table.Add(op.Name + "Sync", c => Post(c, op, sync: true));
        }
        table.Add("DeleteBalance", c => Delete(c, credit: false, sync: false));
        table.Add("DeleteBalanceSync", c => Delete(c, credit: false, sync: true));
        table.Add("DeleteCredit", c => Delete(c, credit: true, sync: false));
        table.Add("DeleteCreditSync", c => Delete(c, credit: true, sync: true));
    }

    private static async ValueTask<Reply> Post(CommandContext c, Operation op, bool sync)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        var amount = d.RequireDecimal("amount");
        if (op.Sign > 0 && amount <= 0) throw ProtocolException.InvalidData($"{op.Name} amount must be positive");
        if (op.Sign < 0 && amount >= 0) throw ProtocolException.InvalidData($"{op.Name} amount must be negative (money leaving the account)");
        if (Math.Abs(amount) > 1_000_000_000_000m) throw ProtocolException.InvalidData("amount is out of range");
        var given = op.CommentRequired ? d.RequireString("comment", 128) : d.OptionalString("comment", 128);
        var comment = given ?? "Finance";
        var key = IdempotencyKeys.Read(c);
        await c.RequireAccountAsync(login);
        if (d.OptionalLong("order") is var order and > 0 && await c.Server.History.FindTradeAsync(order) is { } booked)
        {
            return await Amend(c, op, booked, amount, given, key, sync);
        }

        var post = new PostLedger(login, op.Kind, amount) { Comment = comment, Actor = c.Actor, IdempotencyKey = key };
        var entry = sync ? await c.SubmitSyncAsync(post) : await c.SubmitAsync(post);
        if (sync) return await RecordReply(c, entry.Ticket, entry, op.Cmd);
        return Reply.Object(w =>
        {
            w.WriteBoolean("accepted", true);
            w.WriteNumber("order", entry.Ticket);
            w.WriteNumber("state", (int)TradeState.FinanceOpenRequest);
            w.WriteNumber("login", login);
            w.WriteNumber("cmd", (int)op.Cmd);
            w.WriteNumber("amount", entry.Amount);
        });
    }

    /// <summary>
    /// The operation's <c>order</c> names a booked one: its amount is corrected. The ledger stays append-only: the
    /// engine books the difference as an entry of its own under the same ticket (AmendLedger).
    /// </summary>
    private static async ValueTask<Reply> Amend(CommandContext c, Operation op, TradeRecord booked, decimal amount, string? comment, string? key, bool sync)
    {
        if (booked.Login != c.Data.RequireLong("login")) throw ProtocolException.InvalidData($"order {booked.Ticket} belongs to another account");
        if (booked.Command != op.Cmd) throw ProtocolException.InvalidData($"order {booked.Ticket} is not a {op.Name} operation");
        if (booked.State == TradeState.Deleted) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"finance operation {booked.Ticket} was deleted");
        var operation = await OperationEntryAsync(c, booked);
        var amend = new AmendLedger(booked.Ticket, amount) { Actor = c.Actor, IdempotencyKey = key, Comment = comment ?? "", Entry = operation };
        var entry = sync ? await c.SubmitSyncAsync(amend) : await c.SubmitAsync(amend);
        if (sync) return await RecordReply(c, booked.Ticket, entry, op.Cmd);
        return Reply.Object(w =>
        {
            w.WriteBoolean("accepted", true);
            w.WriteNumber("order", booked.Ticket);
            w.WriteNumber("state", (int)TradeState.FinanceOpenRequest);
            w.WriteNumber("login", booked.Login);
            w.WriteNumber("cmd", (int)op.Cmd);
            w.WriteNumber("amount", amount);
        });
    }

    /// <summary>
    /// The operation's first ledger entry (the engine keeps no ledger): booked at the record's time; corrections under
    /// the same ticket come later, and reversals name what they reverse.
    /// </summary>
    private static async Task<LedgerEntry?> OperationEntryAsync(CommandContext c, TradeRecord record)
    {
        var entries = await c.Server.History.GetLedgerAsync(new HistoryQuery { Login = record.Login, From = record.OpenTime, To = record.OpenTime, Limit = int.MaxValue });
        return entries.Rows.Where(l => l.Ticket == record.Ticket && l.ReversesId == 0).MinBy(l => l.Id);
    }

    private static async ValueTask<Reply> Delete(CommandContext c, bool credit, bool sync)
    {
        var ticket = c.Data.RequireLong("order");
        var key = IdempotencyKeys.Read(c);
        var trade = await c.RequireTradeAsync(ticket);
        var isCredit = trade.Command is TradeCommand.CreditIn or TradeCommand.CreditOut;
        var isBalance = trade.Command is TradeCommand.BalanceIn or TradeCommand.BalanceOut;
        if (credit ? !isCredit : !isBalance)
        {
            throw ProtocolException.InvalidData($"order {ticket} is not a {(credit ? "credit" : "balance")} operation");
        }
        // The engine keeps no ledger: the command carries the operation's entry (its record's time is the entry's).
        var operation = await OperationEntryAsync(c, trade);
        var reverse = new ReverseLedger(ticket) { Actor = c.Actor, IdempotencyKey = key, Entry = operation };
        var entry = sync ? await c.SubmitSyncAsync(reverse) : await c.SubmitAsync(reverse);
        if (sync) return await RecordReply(c, ticket, entry, trade.Command);
        return Reply.Object(w =>
        {
            w.WriteBoolean("accepted", true);
            w.WriteNumber("order", ticket);
            w.WriteNumber("state", (int)TradeState.FinanceDeleteRequest);
            w.WriteNumber("login", trade.Login);
            w.WriteNumber("cmd", (int)trade.Command);
            w.WriteNumber("amount", trade.Profit);
        });
    }

    /// <summary>
    /// The stored record, or null while the history store is unavailable: the operation is booked (the engine never
    /// waits for the database), so the reply is built from the engine's entry rather than failing a booked deposit,
    /// which a client would retry.
    /// </summary>
    private static async Task<TradeRecord?> StoredRecordAsync(CommandContext c, long ticket)
    {
        try
        {
            return await c.Server.History.FindTradeAsync(ticket);
        }
        catch (HistoryUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Sync answer: the finance trade record after the change (amount in <c>profit</c>).</summary>
    private static async Task<Reply> RecordReply(CommandContext c, long ticket, LedgerEntry entry, TradeCommand cmd)
    {
        var record = await StoredRecordAsync(c, ticket) ?? new TradeRecord
        {
            Ticket = ticket,
            Login = entry.Login,
            Command = cmd,
            State = TradeState.ClosedNormal,
            OpenTime = entry.Time,
            CloseTime = entry.Time,
            Profit = entry.Amount,
            Comment = entry.Comment,
        };
        var group = c.Server.View.GroupOf(record.Login);
        return Reply.Ok(w => TradeWire.Write(w, record, group));
    }
}
