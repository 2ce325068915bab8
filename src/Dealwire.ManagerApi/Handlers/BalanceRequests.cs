using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// <c>update_balance</c> books a ledger entry (<see cref="PostLedger"/>) with <c>process_id</c> as its
/// idempotency key (per manager, kept by the engine), so a repeat returns the first booking; a different
/// request under the same key is <c>undefinded</c> / <c>unexpected</c>. <c>get_balance_operations</c> reads the ledger.
/// </summary>
internal static class BalanceRequests
{
    public static void Register(Dictionary<string, HandlerEntry> map)
    {
        map["update_balance"] = new HandlerEntry(Replies.UpdateBalance, false, UpdateBalance);
        map["get_balance_operations"] = new HandlerEntry(Replies.BalanceOperations, true, GetBalanceOperations);
    }

    private static async Task UpdateBalance(ManagerSession session, Request request)
    {
        var login = request.RequiredId("account_id", EntityKind.Account);
        var trader = request.OptionalId("trader_id", EntityKind.Trader);
        var delta = request.RequiredDecimal("delta");
        var processId = request.RequiredString("process_id");
        var reasonText = request.RequiredString("reason");
        var allowNegative = request.OptionalBool("allow_negative_balance") ?? false;
        var comment = request.OptionalString("comment") ?? "";
        var reference = request.OptionalString("reference_transaction_id");
        request.OptionalBool("same_response_process_id");
        ManagerSession.CheckProcessId(processId);
        if (reference is { Length: > ManagerSession.MaxProcessIdLength }) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        var kind = BalanceReasons.FromWire(reasonText) ?? throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);

        var d = request.Dialect;
        if (trader is not null && trader != login)
        {
            Reply(session, request, BalanceError.AccountNotFound);
            return;
        }
        if (!AmountFits(kind, delta))
        {
            Reply(session, request, BalanceError.InvalidAmount);
            return;
        }

        var mask = session.Mask;
        var runner = session.Context.Runner;
        var key = ProcessIds.ToIdempotencyKey(processId);
        var account = await session.ReadAsync(r => new ViewReader(r, mask).Account(login));
        if (account is null)
        {
            Reply(session, request, BalanceError.AccountNotFound);
            return;
        }
        // A booked operation retried answers its booking whatever the account looks like now (disabled, poorer):
        // the state checks below are for new operations only; the engine matches the retry against the original.
        // The key is looked up only when a check would refuse, so a first attempt costs no extra engine hop.
        BalanceError? refusal = !account.Enabled ? (delta > 0 ? BalanceError.ReceiverDisabled : BalanceError.SenderDisabled)
            : !allowNegative && delta < 0 && account.Balance + delta < 0 ? BalanceError.NotEnoughBalance
            : null;
        if (refusal is { } error && !await session.IsRetryAsync(key))
        {
            Reply(session, request, error);
            return;
        }

        var result = await runner.SubmitAsync(new PostLedger(login, kind, delta)
        {
            Comment = comment,
            IdempotencyKey = key,
            Reference = reference,
            Force = allowNegative,
            Actor = session.Actor,
        });

        session.Answered(result.Sequence);
        if (!result.IsOk || result.Value is not { } entry)
        {
            Reply(session, request, MapError(result.Code, delta));
            return;
        }
        var updated = await session.ReadAsync(r => new ViewReader(r, mask).Account(entry.Login));
        if (updated is null)
        {
            Reply(session, request, BalanceError.AccountNotFound);
            return;
        }
        var view = new BalanceUpdateView(updated, entry);
        session.Send(d.IsSeed
            ? Replies.Single(d, request.MessageId, Replies.UpdateBalance, view, static (w, d, v) =>
            {
                w.WriteStartObject();
                w.WritePropertyName("ok");
                TradingModels.WriteAccount(w, d, v.Account);
                w.WriteEndObject();
            })
            : Replies.Single(d, request.MessageId, Replies.UpdateBalance, view, TradingModels.WriteNewerBalanceUpdate));
    }

    /// <summary>Zero is never an amount; deposits and cancelled withdrawals add money, withdrawals take it.</summary>
    private static bool AmountFits(LedgerKind kind, decimal delta) => delta != 0 && kind switch
    {
        LedgerKind.Deposit or LedgerKind.WithdrawalCancelled => delta > 0,
        LedgerKind.Withdrawal => delta < 0,
        _ => true,
    };

    private enum BalanceError { AccountNotFound, InvalidAmount, NotEnoughBalance, ReceiverDisabled, SenderDisabled, SettingsNotFound, NotLeader, Undefined }

    private static BalanceError MapError(ReturnCode code, decimal delta) => code switch
    {
        ReturnCode.UserNotFound or ReturnCode.ErrNotFound => BalanceError.AccountNotFound,
        ReturnCode.TradeNoMoney => BalanceError.NotEnoughBalance,
        ReturnCode.InvalidData or ReturnCode.ErrParams or ReturnCode.ErrData => BalanceError.InvalidAmount,
        ReturnCode.AccountDisabled or ReturnCode.TradeDisabled or ReturnCode.TradeReadOnly =>
            delta > 0 ? BalanceError.ReceiverDisabled : BalanceError.SenderDisabled,
        ReturnCode.GroupNotFound => BalanceError.SettingsNotFound,
        ReturnCode.NotLeader => BalanceError.NotLeader,
        _ => BalanceError.Undefined,
    };

    /// <summary>Seed: <c>update_balance.err</c> with an <c>UpdateBalanceErrorCode</c>; newer: <c>update_balance_response.error</c>.</summary>
    private static void Reply(ManagerSession session, Request request, BalanceError error)
    {
        var d = request.Dialect;
        var code = error switch
        {
            BalanceError.AccountNotFound => ManagerErrors.AccountNotFound,
            BalanceError.InvalidAmount => ManagerErrors.InvalidBalanceTransferAmount,
            BalanceError.NotEnoughBalance => ManagerErrors.NotEnoughBalance,
            BalanceError.ReceiverDisabled => ManagerErrors.RecieverAccountDisabled,
            BalanceError.SenderDisabled => ManagerErrors.SenderAccountDisabled,
            BalanceError.SettingsNotFound => d.IsSeed ? ManagerErrors.SeedTradingSettingsNotFound : ManagerErrors.TradingAccountSettingsNotFound,
            // The seed's UpdateBalanceErrorCode has no transport code: its "undefinded" (sic) is all it can say.
            BalanceError.NotLeader => d.IsSeed ? ManagerErrors.SeedUndefined : ManagerErrors.NetworkError,
            _ => d.IsSeed ? ManagerErrors.SeedUndefined : ManagerErrors.Unexpected,
        };
        session.Send(d.IsSeed
            ? Replies.Single(d, request.MessageId, Replies.UpdateBalance, code, static (w, _, c) =>
            {
                w.WriteStartObject();
                w.WriteString("err", c);
                w.WriteEndObject();
            })
            : Replies.Error(d, request.MessageId, Replies.UpdateBalance, code));
    }

    private static async Task GetBalanceOperations(ManagerSession session, Request request)
    {
        var login = Logins.Filter(request);
        var operation = ReadOperationId(request, "operation_id");
        var reference = ReadOperationId(request, "reference_operation_id");
        var typeText = request.OptionalString("operation_type");
        var from = request.OptionalLong("datetime_from") ?? 0;
        var to = request.OptionalLong("datetime_to") ?? long.MaxValue;
        string? reason = null;
        if (typeText is not null)
        {
            if (BalanceReasons.FromWire(typeText) is not { } k) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
            reason = BalanceReasons.WireName(k);
        }
        var paging = HistoryPaging.Read(request);
        var mask = session.Mask;
        var page = await HistoryRows.LedgerAsync(session, login, from, to, paging);
        var entries = await session.ReadAsync(r =>
        {
            if (login == Logins.Nobody) return [];
            var views = new ViewReader(r, mask);
            var visible = page.Rows
                .Where(e => views.Sees(e.Login) && (operation is null || e.Id == operation)
                    && (reference is null || e.ReversesId == reference)
                    && (reason is null || BalanceReasons.WireName(e.Kind) == reason));
            // Unpaged, the documented order (by id); paged, the store's keyset order (time, id), which the cursor follows.
            return (paging.IsPaged ? visible : visible.OrderBy(e => e.Id)).ToList();
        });
        session.Send(Replies.List(request.Dialect, request.MessageId, Replies.BalanceOperations, entries, TradingModels.WriteBalanceOperation,
            paging.IsPaged ? page.Next?.Format() : null));
    }

    /// <summary>
    /// Operation ids are strings (the UUID, or the number) and, per the JSON example, id objects too. A string
    /// that names no Dealwire operation filters everything out (<see cref="ManagerIds.NoSuchEntity"/>).
    /// </summary>
    private static long? ReadOperationId(Request request, string name)
    {
        if (request.Field(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Object) return request.OptionalId(name, EntityKind.BalanceOperation);
        if (v.ValueKind != JsonValueKind.String) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        if (Guid.TryParse(v.GetString(), out var uuid))
        {
            return ManagerIds.TryFromUuid(EntityKind.BalanceOperation, uuid, out var n) && n > 0 ? n : ManagerIds.NoSuchEntity;
        }
        ManagerIds.ReadSeed(v, out var number); // a string is always Ok or Unknown (NoSuchEntity)
        return number;
    }
}
