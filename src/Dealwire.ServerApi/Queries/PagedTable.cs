using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Queries;

/// <summary>Filter → totals over the whole match → sort → page, as the *ByFilter commands answer.</summary>
internal static class PagedTable
{
    public const int MaxLimit = 50_000;

    public static (List<object[]> Page, int Count, List<(string, decimal)> Totals) Apply(
        IEnumerable<object[]> rows, RowFilter filter, IReadOnlyList<string> columns, int limit, int offset,
        IReadOnlyList<(string Total, string Column)> totalColumns)
    {
        if (limit is < 1 or > MaxLimit) throw ProtocolException.InvalidData($"limit must be between 1 and {MaxLimit}");
        if (offset < 0) throw ProtocolException.InvalidData("offset must not be negative");
        var matched = rows.Where(filter.Matches).ToList();
        var totals = new List<(string, decimal)>(totalColumns.Count);
        foreach (var (total, column) in totalColumns)
        {
            var index = IndexOf(columns, column);
            decimal sum = 0;
            foreach (var row in matched) sum += Convert.ToDecimal(row[index], System.Globalization.CultureInfo.InvariantCulture);
            totals.Add((total, sum));
        }
        var page = filter.Sort(matched).Skip(offset).Take(limit).ToList();
        return (page, matched.Count, totals);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name) return i;
        }
        throw new InvalidOperationException("total over unknown column " + name);
    }
}
