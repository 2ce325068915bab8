using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Manager trade mutations (scaletrade-tcp §7.4). Async commands answer the §5.1 acknowledgement
/// (<c>accepted, order, state, …echoes</c>) once the engine has applied them; <c>…Sync</c> variants answer
/// the resulting trade record, or 504 SYNC_TIMEOUT. Every command takes the optional <c>data.idempotency_key</c>
/// (<see cref="IdempotencyKeys"/>).
/// </summary>
internal static class TradeCommands
{
    public static void Register(CommandTable table)
    {
        table.Add("MngOpenTrade", c => Open(c, sync: false));
        table.Add("MngOpenTradeSync", c => Open(c, sync: true));
        table.Add("MngOpenPendingTrade", OpenPending);
        table.Add("MngCloseTrade", c => Close(c, sync: false));
        table.Add("MngCloseTradeSync", c => Close(c, sync: true));
        table.Add("MngUpdateTrade", c => Update(c, sync: false));
        table.Add("MngUpdateTradeSync", c => Update(c, sync: true));
        table.Add("MngUpdateOpenTradeSync", UpdateOpen);
        table.Add("MngUpdateCloseTradeSync", UpdateClosed);
        table.Add("MngUpdatePendingTradeSync", UpdatePending);
        table.Add("MngDeleteTrade", DeleteClosed);
        table.Add("MngCancelTrade", Cancel);
        table.Add("MngCancelPendingTrade", Cancel);
        table.Add("MngRestoreTrade", Restore);
    }

    private static async ValueTask<Reply> Open(CommandContext c, bool sync)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        var cmd = d.RequireInt("cmd");
        if (cmd is not (0 or 1)) throw ProtocolException.InvalidData("cmd must be 0 (buy) or 1 (sell); use MngOpenPendingTrade for pending orders");
        var volume = RequireVolume(d);
        var symbol = d.RequireString("symbol", 32);
        var open = new OpenPosition(login, symbol, (TradeCommand)cmd, volume)
        {
            StopLoss = RequirePrice(d, "sl"),
            TakeProfit = RequirePrice(d, "tp"),
            Price = OptionalPrice(d, "open_price"),
            OpenTime = WireTime.ToMilliseconds(d.OptionalLong("open_time")),
            Comment = d.OptionalString("comment", 128) ?? "",
            Magic = d.OptionalLong("magic"),
            Reason = TradeReason.Dealer,
            Actor = c.Actor,
            IdempotencyKey = IdempotencyKeys.Read(c),
        };
        var group = await c.RequireAccountAsync(login);
        if (sync) return TradeReply(c, await c.SubmitSyncAsync(open), group);
        var trade = await c.SubmitAsync(open);
        return Ack(c, trade.Ticket, TradeState.OpenRequest, login, symbol, cmd, volume);
    }

    private static async ValueTask<Reply> OpenPending(CommandContext c)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        var cmd = d.RequireInt("cmd");
        if (cmd is not (2 or 3 or 4 or 5 or 10 or 11)) throw ProtocolException.InvalidData("cmd must be a pending type: 2, 3, 4, 5 (or 10, 11 stop-limit)");
        var volume = RequireVolume(d);
        var symbol = d.RequireString("symbol", 32);
        var price = RequirePrice(d, "open_price");
        if (price == 0) throw ProtocolException.InvalidData("open_price must be positive");
        var expiration = WireTime.ToMilliseconds(d.OptionalLong("expiration"));
        var order = new PlacePendingOrder(login, symbol, (TradeCommand)cmd, volume, price)
        {
            StopLimitPrice = OptionalPrice(d, "stoplimit_price"),
            StopLoss = OptionalPrice(d, "sl"),
            TakeProfit = OptionalPrice(d, "tp"),
            ExpirationMode = expiration > 0 ? ExpirationMode.AtTime : ExpirationMode.GoodTillCancelled,
            Expiration = expiration,
            Comment = d.OptionalString("comment", 128) ?? "",
            Magic = d.OptionalLong("magic"),
            Reason = TradeReason.Dealer,
            Actor = c.Actor,
            IdempotencyKey = IdempotencyKeys.Read(c),
        };
        await c.RequireAccountAsync(login);
        var trade = await c.SubmitAsync(order);
        return Ack(c, trade.Ticket, TradeState.OpenRequest, login, symbol, cmd, volume);
    }

    private static async ValueTask<Reply> Close(CommandContext c, bool sync)
    {
        var d = c.Data;
        var login = d.RequireLong("login");
        var ticket = d.RequireLong("order");
        var volume = d.Has("volume") ? RequireVolume(d) : 0;
        var close = new ClosePosition(login, ticket)
        {
            Volume = volume,
            Price = OptionalPrice(d, "close_price"),
            CloseTime = WireTime.ToMilliseconds(d.OptionalLong("close_time")),
            Comment = d.OptionalString("comment", 128) ?? "",
            Actor = c.Actor,
            IdempotencyKey = IdempotencyKeys.Read(c),
        };
        var trade = await c.RequireTradeAsync(ticket);
        if (trade.Login != login) throw ProtocolException.InvalidData($"order {ticket} does not belong to login {login}");
        if (!trade.IsOpenPosition && !await IdempotencyKeys.IsRetryAsync(c, close.IdempotencyKey)) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {ticket} is not an open position");
        var group = c.Server.View.GroupOf(login);
        if (sync) return TradeReply(c, await c.SubmitSyncAsync(close), group);
        await c.SubmitAsync(close);
        var partial = volume > 0 && volume < trade.Volume;
        return Ack(c, ticket, partial ? TradeState.PartialCloseRequest : TradeState.CloseRequest, login, trade.Symbol, (int)trade.Command,
            partial ? volume : trade.Volume);
    }

    /// <summary>MngUpdateTrade(Sync): an open position or a closed deal (a pending order with the async form only).</summary>
    private static async ValueTask<Reply> Update(CommandContext c, bool sync)
    {
        var d = c.Data;
        var ticket = d.RequireLong("order");
        var login = d.RequireLong("login");
        var cmd = d.RequireInt("cmd");
        var key = IdempotencyKeys.Read(c);
        var trade = await RequireOwned(c, ticket, login, cmd);
        if (trade.IsPendingOrder)
        {
            if (sync) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, "MngUpdateTradeSync does not edit pending orders; use MngUpdatePendingTradeSync");
            var modified = await c.SubmitAsync(ReadPendingChange(d, trade) with { Actor = c.Actor, IdempotencyKey = key });
            return Ack(c, modified.Ticket, 0, login, modified.Symbol, cmd, modified.Volume);
        }
        RejectVolumeChange(d, trade);
        var edit = ReadEdit(d, ticket, c.Actor) with { IdempotencyKey = key, Closed = ClosedRecord(trade) };
        if (sync) return TradeReply(c, await c.SubmitSyncAsync(edit), c.Server.View.GroupOf(login));
        var edited = await c.SubmitAsync(edit);
        return Ack(c, edited.Ticket, 0, login, edited.Symbol, cmd, edited.Volume);
    }

    private static async ValueTask<Reply> UpdateOpen(CommandContext c)
    {
        var d = c.Data;
        var key = IdempotencyKeys.Read(c);
        var trade = await RequireOwned(c, d.RequireLong("order"), d.RequireLong("login"), d.RequireInt("cmd"));
        RequireSymbol(d, trade);
        RejectVolumeChange(d, trade, required: true);
        if (!trade.IsOpenPosition && !await IdempotencyKeys.IsRetryAsync(c, key)) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {trade.Ticket} is not an open position");
        if (d.Has("close_price") || d.Has("close_time")) throw ProtocolException.InvalidData("close_price and close_time do not apply to an open trade");
        return TradeReply(c, await c.SubmitSyncAsync(ReadEdit(d, trade.Ticket, c.Actor) with { IdempotencyKey = key }), c.Server.View.GroupOf(trade.Login));
    }

    private static async ValueTask<Reply> UpdateClosed(CommandContext c)
    {
        var d = c.Data;
        var key = IdempotencyKeys.Read(c);
        var trade = await RequireOwned(c, d.RequireLong("order"), d.RequireLong("login"), d.RequireInt("cmd"));
        RequireSymbol(d, trade);
        RejectVolumeChange(d, trade, required: true);
        d.RequireLong("open_time");
        d.RequireLong("close_time");
        if (trade.State is not (TradeState.ClosedNormal or TradeState.ClosedPart or TradeState.ClosedBy))
        {
            throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {trade.Ticket} is not closed");
        }
        return TradeReply(c, await c.SubmitSyncAsync(ReadEdit(d, trade.Ticket, c.Actor) with { IdempotencyKey = key, Closed = trade }), c.Server.View.GroupOf(trade.Login));
    }

    private static async ValueTask<Reply> UpdatePending(CommandContext c)
    {
        var d = c.Data;
        var key = IdempotencyKeys.Read(c);
        var trade = await c.RequireTradeAsync(d.RequireLong("order"));
        if (!trade.IsPendingOrder && !await IdempotencyKeys.IsRetryAsync(c, key)) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {trade.Ticket} is not a pending order");
        string[] fields = ["open_price", "volume", "open_time", "sl", "tp", "expiration", "comment"];
        if (!fields.Any(d.Has)) throw ProtocolException.InvalidData("give at least one of " + string.Join(", ", fields));
        if (d.Has("open_time")) throw ProtocolException.InvalidData("open_time of a pending order cannot be changed");
        return TradeReply(c, await c.SubmitSyncAsync(ReadPendingChange(d, trade) with { Actor = c.Actor, IdempotencyKey = key }), c.Server.View.GroupOf(trade.Login));
    }

    private static async ValueTask<Reply> DeleteClosed(CommandContext c)
    {
        var key = IdempotencyKeys.Read(c);
        var trade = await c.RequireTradeAsync(c.Data.RequireLong("order"));
        var closed = trade.State is TradeState.ClosedNormal or TradeState.ClosedPart or TradeState.ClosedBy || await IdempotencyKeys.IsRetryAsync(c, key);
        if (!closed || trade.Command.IsFinance())
        {
            throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {trade.Ticket} is not a closed trade");
        }
        await c.SubmitAsync(new DeleteTrade(trade.Ticket) { Actor = c.Actor, IdempotencyKey = key, Closed = trade });
        return Ack(c, trade.Ticket, TradeState.DeleteRequest, trade.Login, trade.Symbol, (int)trade.Command, trade.Volume);
    }

    /// <summary>MngCancelTrade ([GAP]: the page says "open trades" but describes a pending order) and MngCancelPendingTrade: pending orders.</summary>
    private static async ValueTask<Reply> Cancel(CommandContext c)
    {
        var key = IdempotencyKeys.Read(c);
        var trade = await c.RequireTradeAsync(c.Data.RequireLong("order"));
        if (!trade.IsPendingOrder && !await IdempotencyKeys.IsRetryAsync(c, key)) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectState, $"order {trade.Ticket} is not a pending order");
        await c.SubmitAsync(new CancelPendingOrder(trade.Login, trade.Ticket) { Actor = c.Actor, IdempotencyKey = key });
        return Ack(c, trade.Ticket, TradeState.CancelRequest, trade.Login, trade.Symbol, (int)trade.Command, trade.Volume);
    }

    private static async ValueTask<Reply> Restore(CommandContext c)
    {
        var key = IdempotencyKeys.Read(c);
        var trade = await c.RequireTradeAsync(c.Data.RequireLong("order"));
        var restored = await c.SubmitAsync(new RestoreTrade(trade.Ticket) { Actor = c.Actor, IdempotencyKey = key, Closed = ClosedRecord(trade) });
        return Ack(c, restored.Ticket, TradeState.RestoreRequest, restored.Login, restored.Symbol, (int)restored.Command, restored.Volume);
    }

    private static async Task<TradeRecord> RequireOwned(CommandContext c, long ticket, long login, int cmd)
    {
        var trade = await c.RequireTradeAsync(ticket);
        if (trade.Login != login) throw ProtocolException.InvalidData($"order {ticket} does not belong to login {login}");
        if ((int)trade.Command != cmd) throw ProtocolException.Rejected(ReturnCode.TradeIncorrectCmd, $"order {ticket} has cmd {(int)trade.Command}, not {cmd}");
        return trade;
    }

    private static void RequireSymbol(DataReader d, TradeRecord trade)
    {
        var symbol = d.RequireString("symbol", 32);
        if (symbol != trade.Symbol) throw ProtocolException.InvalidData($"order {trade.Ticket} is on {trade.Symbol}, not {symbol}");
    }

    /// <summary>The engine edits prices, times and money of a deal, not its volume (that is a partial close).</summary>
    private static void RejectVolumeChange(DataReader d, TradeRecord trade, bool required = false)
    {
        if (!required && !d.Has("volume")) return;
        var volume = RequireVolume(d);
        if (volume != trade.Volume) throw ProtocolException.Rejected(ReturnCode.TradeBadVolume, $"volume cannot be edited ({trade.Volume} → {volume}); close part of the position instead");
    }

    /// <summary>The record a command on a closed deal carries (the engine keeps no closed deals); null for an open trade.</summary>
    private static TradeRecord? ClosedRecord(TradeRecord trade) => trade.IsOpenPosition || trade.IsPendingOrder ? null : trade;

    private static EditTrade ReadEdit(DataReader d, long ticket, string actor) => new(ticket)
    {
        StopLoss = NullablePrice(d, "sl"),
        TakeProfit = NullablePrice(d, "tp"),
        OpenPrice = NullablePrice(d, "open_price"),
        OpenTime = d.NullableLong("open_time") is { } open ? WireTime.ToMilliseconds(open) : null,
        ClosePrice = NullablePrice(d, "close_price"),
        CloseTime = d.NullableLong("close_time") is { } close ? WireTime.ToMilliseconds(close) : null,
        Commission = d.NullableDecimal("commission"),
        Swap = d.NullableDecimal("storage"),
        Profit = d.NullableDecimal("profit"),
        Expiration = d.NullableLong("expiration") is { } exp ? WireTime.ToMilliseconds(exp) : null,
        Comment = d.OptionalString("comment", 128),
        Actor = actor,
    };

    private static ModifyPendingOrder ReadPendingChange(DataReader d, TradeRecord trade)
    {
        var expiration = d.NullableLong("expiration") is { } exp ? WireTime.ToMilliseconds(exp) : (long?)null;
        return new ModifyPendingOrder(trade.Login, trade.Ticket)
        {
            Price = NullablePrice(d, "open_price"),
            Volume = d.Has("volume") ? RequireVolume(d) : null,
            StopLoss = NullablePrice(d, "sl"),
            TakeProfit = NullablePrice(d, "tp"),
            Expiration = expiration,
            ExpirationMode = expiration is null ? null : expiration > 0 ? ExpirationMode.AtTime : ExpirationMode.GoodTillCancelled,
            Comment = d.OptionalString("comment", 128),
        };
    }

    internal static int RequireVolume(DataReader d)
    {
        var volume = d.RequireInt("volume");
        if (volume <= 0) throw ProtocolException.Rejected(ReturnCode.TradeBadVolume, "volume must be positive (100 = 1 lot)");
        return volume;
    }

    private static decimal RequirePrice(DataReader d, string name) => CheckPrice(name, d.RequireDecimal(name));

    private static decimal OptionalPrice(DataReader d, string name) => CheckPrice(name, d.OptionalDecimal(name));

    private static decimal? NullablePrice(DataReader d, string name) => d.NullableDecimal(name) is { } p ? CheckPrice(name, p) : null;

    private static decimal CheckPrice(string name, decimal price)
    {
        if (price < 0) throw ProtocolException.Rejected(ReturnCode.TradeBadPrices, $"{name} must not be negative");
        if (price > 1_000_000_000m) throw ProtocolException.Rejected(ReturnCode.TradeBadPrices, $"{name} is out of range");
        return price;
    }

    private static Reply TradeReply(CommandContext c, TradeRecord trade, string? group) => c.TradeReplies.Record(trade, group, c.Server.TradeJson);

    /// <summary>The §5.1 acknowledgement: accepted, order, state (the request state), plus echoes.</summary>
    internal static Reply Ack(CommandContext c, long order, TradeState state, long login, string symbol, int cmd, int volume) =>
        c.TradeReplies.Ack(order, state, login, symbol, cmd, volume);
}
