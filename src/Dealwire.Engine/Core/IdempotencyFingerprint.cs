using Dealwire.Engine.Commands;

namespace Dealwire.Engine.Core;

/// <summary>
/// The fingerprint of what an idempotent command asks for: SHA-256 over its type and every request field,
/// named one by one (not through reflection, so a field's meaning cannot shift with a serializer). Left out
/// on purpose: the key itself, the caller (the key is already scoped to it), and the sequence and time the
/// runner stamps. Decimals are normalised, so <c>1.10</c> and <c>1.1</c> are the same request.
/// A test checks that every property of every idempotent command changes the fingerprint.
/// </summary>
internal static class IdempotencyFingerprint
{
    public static string Of(EngineCommand command)
    {
        using var h = new StateHasher(512);
        h.Add(command.GetType().Name);
        switch (command)
        {
            case PostLedger c:
                h.Add(c.Login); h.Add((long)c.Kind); h.Add(c.Amount); h.Add(c.Comment); h.Add(c.Force); h.Add(c.Reference);
                break;
            case ReverseLedger c:
                h.Add(c.Ticket); h.Add(c.Comment);
                break;
            case AmendLedger c:
                h.Add(c.Ticket); h.Add(c.Amount); h.Add(c.Comment);
                break;
            case OpenPosition c:
                h.Add(c.Login); h.Add(c.Symbol); h.Add((long)c.Side); h.Add(c.Volume); h.Add(c.StopLoss); h.Add(c.TakeProfit);
                h.Add(c.Price); h.Add(c.OpenTime); h.Add(c.Comment); h.Add(c.Magic); h.Add((long)c.Reason); h.Add(c.Force); h.Add(c.ApiData);
                break;
            case ClosePosition c:
                h.Add(c.Login); h.Add(c.Ticket); h.Add(c.Volume); h.Add(c.Price); h.Add(c.CloseTime); h.Add(c.Comment); h.Add(c.Force);
                break;
            case CloseBy c:
                h.Add(c.Login); h.Add(c.Ticket); h.Add(c.OppositeTicket);
                break;
            case ModifyPosition c:
                h.Add(c.Login); h.Add(c.Ticket); h.Add(c.StopLoss); h.Add(c.TakeProfit); h.Add(c.TrailingDistance);
                break;
            case PlacePendingOrder c:
                h.Add(c.Login); h.Add(c.Symbol); h.Add((long)c.Type); h.Add(c.Volume); h.Add(c.Price); h.Add(c.StopLimitPrice);
                h.Add(c.StopLoss); h.Add(c.TakeProfit); h.Add((long)c.ExpirationMode); h.Add(c.Expiration); h.Add(c.Comment);
                h.Add(c.Magic); h.Add((long)c.Reason); h.Add(c.ApiData);
                break;
            case ModifyPendingOrder c:
                h.Add(c.Login); h.Add(c.Ticket); h.Add(c.Price); h.Add(c.StopLimitPrice); Add(h, c.Volume); h.Add(c.StopLoss);
                h.Add(c.TakeProfit); Add(h, (long?)c.ExpirationMode); Add(h, c.Expiration); Add(h, c.Comment); Add(h, c.ApiData);
                break;
            case CancelPendingOrder c:
                h.Add(c.Login); h.Add(c.Ticket);
                break;
            case EditTrade c:
                h.Add(c.Ticket); h.Add(c.StopLoss); h.Add(c.TakeProfit); h.Add(c.OpenPrice); Add(h, c.OpenTime); h.Add(c.ClosePrice);
                Add(h, c.CloseTime); h.Add(c.Commission); h.Add(c.Swap); h.Add(c.Profit); Add(h, c.Expiration); Add(h, c.Comment);
                Add(h, c.ApiData);
                break;
            case DeleteTrade c:
                h.Add(c.Ticket);
                break;
            case RestoreTrade c:
                h.Add(c.Ticket);
                break;
            default:
                throw new InvalidOperationException($"{command.GetType().Name} has no idempotency fingerprint");
        }
        return h.Finish();
    }

    // Null and "absent" differ from 0 and "" in the patch commands: "keep" is not "set to zero".
    private static void Add(StateHasher h, long? value)
    {
        h.Add(value.HasValue);
        if (value.HasValue) h.Add(value.Value);
    }

    private static void Add(StateHasher h, string? value)
    {
        h.Add(value is not null);
        if (value is not null) h.Add(value);
    }
}
