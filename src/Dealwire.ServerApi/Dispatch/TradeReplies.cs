using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Dispatch;

/// <summary>
/// The two answers of the trade commands, held by a <see cref="CommandContext"/> and refilled per command: the
/// dispatcher writes the answer before the context goes back to its pool, so one instance per context suffices.
/// </summary>
internal sealed class TradeReplies
{
    private AckReply? _ack;
    private TradeRecordReply? _record;

    /// <summary>The §5.1 acknowledgement: accepted, order, state (the request state), plus echoes.</summary>
    public Reply Ack(long order, TradeState state, long login, string symbol, int cmd, int volume)
    {
        var reply = _ack ??= new AckReply();
        (reply.Order, reply.State, reply.Login, reply.Symbol, reply.Cmd, reply.Volume) = (order, state, login, symbol, cmd, volume);
        return reply;
    }

    /// <summary>
    /// The resulting trade record (…Sync variants), prices marked up for <paramref name="group"/>: the data of its
    /// <c>trade:event</c>, copied from that frame when the fan-out built it first (<see cref="TradeJsonCache"/>).
    /// </summary>
    public Reply Record(TradeRecord trade, string? group, TradeJsonCache json)
    {
        var reply = _record ??= new TradeRecordReply();
        (reply.Trade, reply.Group, reply.Json) = (trade, group, json);
        return reply;
    }

    /// <summary>Drops the references of the last answer so a pooled context keeps no trade alive.</summary>
    public void Clear()
    {
        if (_ack is not null) _ack.Symbol = "";
        if (_record is not null) (_record.Trade, _record.Group, _record.Json) = (null, null, null);
    }

    private sealed class AckReply : Reply
    {
        public long Order;
        public TradeState State;
        public long Login;
        public string Symbol = "";
        public int Cmd;
        public int Volume;

        public override void WriteData(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteBoolean("accepted", true);
            w.WriteNumber("order", Order);
            w.WriteNumber("state", (int)State);
            w.WriteNumber("login", Login);
            w.WriteString("symbol", Symbol);
            w.WriteNumber("cmd", Cmd);
            w.WriteNumber("volume", Volume);
            w.WriteEndObject();
        }

        public override void WriteExtra(Utf8JsonWriter w)
        {
        }
    }

    private sealed class TradeRecordReply : Reply
    {
        public TradeRecord? Trade;
        public string? Group;
        public TradeJsonCache? Json;

        public override void WriteData(Utf8JsonWriter w) => Json!.Write(w, Trade!, Group);

        public override void WriteExtra(Utf8JsonWriter w)
        {
        }
    }
}
