using System.Text.Json;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Queries;

/// <summary>
/// The filter grammar of GetUsersByFilter / MngGetTradesByFilter (scaletrade-tcp §7.3): <c>where</c>
/// (<c>= == != &gt; &lt; &gt;= &lt;= like</c>), <c>whereNot</c>, <c>whereIn</c>, <c>whereNotIn</c>,
/// <c>whereBetween</c>, <c>whereNotBetween</c>, <c>orderBy</c> in both shapes. Rows are arrays of cells
/// (long, decimal or string) in the order of <c>columns</c>.
/// </summary>
internal sealed class RowFilter
{
    private readonly List<Func<object[], bool>> _predicates = new();
    private readonly List<(int Column, bool Descending)> _order = new();

    private RowFilter() { }

    public static RowFilter Parse(JsonElement data, IReadOnlyList<string> columns)
    {
        var filter = new RowFilter();
        foreach (var clause in Clauses(data, "where"))
        {
            if (clause.GetArrayLength() != 3) throw ProtocolException.InvalidData("where entries must be [field, op, value]");
            var column = Column(columns, clause[0], "where");
            var op = clause[1].ValueKind == JsonValueKind.String ? clause[1].GetString()! : throw ProtocolException.InvalidData("where operator must be a string");
            var value = clause[2];
            Func<int, bool> test = op switch
            {
                "=" or "==" => c => c == 0,
                "!=" or "<>" => c => c != 0,
                ">" => c => c > 0,
                "<" => c => c < 0,
                ">=" => c => c >= 0,
                "<=" => c => c <= 0,
                "like" => null!,
                _ => throw ProtocolException.InvalidData($"unknown where operator '{op}'"),
            };
            if (op == "like")
            {
                if (value.ValueKind != JsonValueKind.String) throw ProtocolException.InvalidData("like needs a string pattern");
                var pattern = value.GetString()!;
                filter._predicates.Add(row => Like(row[column]?.ToString() ?? "", pattern));
            }
            else
            {
                filter._predicates.Add(row => test(Compare(row[column], value)));
            }
        }
        foreach (var clause in Clauses(data, "whereNot"))
        {
            if (clause.GetArrayLength() != 2) throw ProtocolException.InvalidData("whereNot entries must be [field, value]");
            var column = Column(columns, clause[0], "whereNot");
            var value = clause[1];
            filter._predicates.Add(row => Compare(row[column], value) != 0);
        }
        AddMembership(filter, data, "whereIn", columns, negate: false);
        AddMembership(filter, data, "whereNotIn", columns, negate: true);
        AddRange(filter, data, "whereBetween", columns, negate: false);
        AddRange(filter, data, "whereNotBetween", columns, negate: true);
        ParseOrder(filter, data, columns);
        return filter;
    }

    public bool Matches(object[] row)
    {
        foreach (var p in _predicates)
        {
            if (!p(row)) return false;
        }
        return true;
    }

    public List<object[]> Sort(List<object[]> rows)
    {
        if (_order.Count == 0) return rows;
        rows.Sort((a, b) =>
        {
            foreach (var (column, descending) in _order)
            {
                var c = CompareCells(a[column], b[column]);
                if (c != 0) return descending ? -c : c;
            }
            return 0;
        });
        return rows;
    }

    private static void AddMembership(RowFilter filter, JsonElement data, string key, IReadOnlyList<string> columns, bool negate)
    {
        foreach (var clause in Clauses(data, key))
        {
            if (clause.GetArrayLength() != 2 || clause[1].ValueKind != JsonValueKind.Array)
            {
                throw ProtocolException.InvalidData($"{key} entries must be [field, [values…]]");
            }
            var column = Column(columns, clause[0], key);
            var values = clause[1].EnumerateArray().ToArray();
            filter._predicates.Add(row => values.Any(v => Compare(row[column], v) == 0) != negate);
        }
    }

    private static void AddRange(RowFilter filter, JsonElement data, string key, IReadOnlyList<string> columns, bool negate)
    {
        foreach (var clause in Clauses(data, key))
        {
            if (clause.GetArrayLength() != 2 || clause[1].ValueKind != JsonValueKind.Array || clause[1].GetArrayLength() != 2)
            {
                throw ProtocolException.InvalidData($"{key} entries must be [field, [from, to]]");
            }
            var column = Column(columns, clause[0], key);
            var from = clause[1][0];
            var to = clause[1][1];
            filter._predicates.Add(row => (Compare(row[column], from) >= 0 && Compare(row[column], to) <= 0) != negate);
        }
    }

    /// <summary><c>[field,"ASC"]</c> (accounts) or <c>[[field,"desc"],…]</c> (trades); direction case-insensitive.</summary>
    private static void ParseOrder(RowFilter filter, JsonElement data, IReadOnlyList<string> columns)
    {
        if (!data.TryGetProperty("orderBy", out var order) || order.ValueKind == JsonValueKind.Null) return;
        if (order.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData("orderBy must be an array");
        if (order.GetArrayLength() == 0) return;
        var pairs = order[0].ValueKind == JsonValueKind.Array ? order.EnumerateArray().ToArray() : [order];
        foreach (var pair in pairs)
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() is < 1 or > 2)
            {
                throw ProtocolException.InvalidData("orderBy must be [field, \"ASC\"|\"DESC\"] or a list of those");
            }
            var column = Column(columns, pair[0], "orderBy");
            var direction = pair.GetArrayLength() == 2 ? pair[1].GetString()?.ToUpperInvariant() : "ASC";
            if (direction is not ("ASC" or "DESC")) throw ProtocolException.InvalidData("orderBy direction must be ASC or DESC");
            filter._order.Add((column, direction == "DESC"));
        }
    }

    private static IEnumerable<JsonElement> Clauses(JsonElement data, string key)
    {
        if (!data.TryGetProperty(key, out var list) || list.ValueKind == JsonValueKind.Null) return [];
        if (list.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"{key} must be an array");
        var items = list.EnumerateArray().ToArray();
        // A single clause may be written without the outer list: ["login", ">", 5].
        if (items.Length > 0 && items[0].ValueKind == JsonValueKind.String) return [list];
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"{key} entries must be arrays");
        }
        return items;
    }

    private static int Column(IReadOnlyList<string> columns, JsonElement name, string key)
    {
        if (name.ValueKind != JsonValueKind.String) throw ProtocolException.InvalidData($"{key}: field names must be strings");
        var field = name.GetString()!;
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == field) return i;
        }
        throw ProtocolException.InvalidData($"{key}: unknown field '{field}'");
    }

    /// <summary>Compares a cell with a JSON value: numbers numerically, strings ordinally.</summary>
    internal static int Compare(object? cell, JsonElement value)
    {
        switch (cell)
        {
            case string s:
                return string.CompareOrdinal(s, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
            case long or int or decimal:
                var number = Convert.ToDecimal(cell, System.Globalization.CultureInfo.InvariantCulture);
                decimal other;
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out other)) return number.CompareTo(other);
                if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), System.Globalization.NumberStyles.Float,
                        System.Globalization.CultureInfo.InvariantCulture, out other)) return number.CompareTo(other);
                throw ProtocolException.InvalidData($"cannot compare a number with {value.GetRawText()}");
            default:
                return value.ValueKind == JsonValueKind.Null ? 0 : -1;
        }
    }

    private static int CompareCells(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => Convert.ToDecimal(a, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(Convert.ToDecimal(b, System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>SQL LIKE, case-sensitive: <c>%</c> any run, <c>_</c> one character.</summary>
    internal static bool Like(string text, string pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '_' || pattern[p] == text[t])) { t++; p++; }
            else if (p < pattern.Length && pattern[p] == '%') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }
}
