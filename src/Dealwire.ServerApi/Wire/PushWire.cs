using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Wire;

/// <summary>The pushed arrays and event objects of scaletrade-tcp §6, each serialized into one frame.</summary>
internal static class PushWire
{
    /// <summary><c>["t",symbol,bid,ask,time]</c>, time in Unix seconds (what the official clients read).</summary>
    public static byte[] Quote(string symbol, Quote quote) => FrameWriter.Build((symbol, quote), static (w, s) =>
    {
        w.WriteStartArray();
        w.WriteStringValue("t");
        w.WriteStringValue(s.symbol);
        w.WriteNumberValue(s.quote.Bid);
        w.WriteNumberValue(s.quote.Ask);
        w.WriteNumberValue(WireTime.ToSeconds(s.quote.Time));
        w.WriteEndArray();
    });

    /// <summary>
    /// <c>["n",message,description,token,status,level,user_id,create_time,(data),code]</c>: 9 elements
    /// without data, 10 with; the data slot is omitted rather than null (clients test typeof arr[8]).
    /// </summary>
    public static byte[] Notification(Notification n) => FrameWriter.Build(n, static (w, n) =>
    {
        w.WriteStartArray();
        w.WriteStringValue("n");
        w.WriteStringValue(n.Message);
        w.WriteStringValue(n.Description);
        w.WriteStringValue(n.Token);
        w.WriteNumberValue(n.Status);
        w.WriteNumberValue((int)n.Level);
        w.WriteNumberValue(n.UserId);
        w.WriteNumberValue(WireTime.ToSeconds(n.CreateTime));
        if (n.DataJson is not null) w.WriteRawValue(n.DataJson);
        w.WriteNumberValue(n.Code);
        w.WriteEndArray();
    });

    /// <summary><c>{"event":name,"type":EV_RECORD_*,"data":{…}}</c></summary>
    public static byte[] Event<TState>(string name, RecordChange type, TState state, Action<Utf8JsonWriter, TState> writeData) =>
        FrameWriter.Build((name, type, state, writeData), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, s.name);
            w.WriteNumber("type"u8, (int)s.type);
            w.WritePropertyName("data"u8);
            s.writeData(w, s.state);
            w.WriteEndObject();
        });

    /// <summary><c>["sr",[[symbol,sym_index,sort_index],…]]</c></summary>
    public static byte[] SymbolReindex(IEnumerable<SymbolConfig> symbols) => FrameWriter.Build(symbols, static (w, list) =>
    {
        w.WriteStartArray();
        w.WriteStringValue("sr");
        w.WriteStartArray();
        foreach (var s in list.OrderBy(s => s.SortIndex).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            w.WriteStartArray();
            w.WriteStringValue(s.Name);
            w.WriteNumberValue(s.SymbolIndex);
            w.WriteNumberValue(s.SortIndex);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndArray();
    });

    /// <summary><c>["sc",[[sec_index,sort_index],…]]</c></summary>
    public static byte[] SecurityReindex(IEnumerable<SymbolGroupConfig> groups) => FrameWriter.Build(groups, static (w, list) =>
    {
        w.WriteStartArray();
        w.WriteStringValue("sc");
        w.WriteStartArray();
        foreach (var g in list.OrderBy(g => g.SortIndex).ThenBy(g => g.Index))
        {
            w.WriteStartArray();
            w.WriteNumberValue(g.Index);
            w.WriteNumberValue(g.SortIndex);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndArray();
    });
}
