using System.Text.Json;

namespace Dealwire.ServerApi.Queries;

/// <summary>Table results: <c>{"structure":[…],"rows":[[…]],"count":N,…totals}</c> (scaletrade-tcp §4.1).</summary>
internal static class TableWriter
{
    /// <param name="nextCursor">Keyset paging extension (history tables): the cursor of the next page, written as
    /// <c>next_cursor</c> when given; see docs/history.md.</param>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<string> columns, IEnumerable<object[]> rows, int count,
        IReadOnlyList<(string Name, decimal Value)>? totals = null, string? nextCursor = null)
    {
        w.WriteStartObject();
        w.WriteStartArray("structure");
        foreach (var c in columns) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var row in rows)
        {
            w.WriteStartArray();
            foreach (var cell in row) WriteCell(w, cell);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteNumber("count", count);
        if (totals is not null)
        {
            foreach (var (name, value) in totals) w.WriteNumber(name, value);
        }
        if (nextCursor is not null) w.WriteString("next_cursor", nextCursor);
        w.WriteEndObject();
    }

    /// <summary>Object-row results: <c>{"rows":[{…},…],"&lt;countName&gt;":N}</c> (GetGroups, GetSymbolGroups, GetManagers, balances).</summary>
    /// <param name="count">The number of all rows when <paramref name="items"/> is one page of them.</param>
    public static void WriteObjectRows<T>(Utf8JsonWriter w, IReadOnlyCollection<T> items, Action<Utf8JsonWriter, T> writeRow, string countName = "count",
        int? count = null)
    {
        w.WriteStartObject();
        w.WriteStartArray("rows");
        foreach (var item in items) writeRow(w, item);
        w.WriteEndArray();
        w.WriteNumber(countName, count ?? items.Count);
        w.WriteEndObject();
    }

    public static void WriteCell(Utf8JsonWriter w, object? cell)
    {
        switch (cell)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case decimal d: w.WriteNumberValue(d); break;
            case bool b: w.WriteNumberValue(b ? 1 : 0); break;
            default: w.WriteStringValue(cell.ToString()); break;
        }
    }
}
