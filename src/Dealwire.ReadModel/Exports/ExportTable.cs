namespace Dealwire.ReadModel.Exports;

/// <summary>The two file formats a broker's back office asks for: CSV and Excel (<c>.xlsx</c>).</summary>
public enum ExportFormat
{
    Csv,
    Excel,
}

/// <summary>
/// A table to write to a file: a header, rows of cells and an optional final "Total:" row. A cell is a
/// <see cref="string"/>, a whole number (<see cref="long"/>/<see cref="int"/>), an exact <see cref="decimal"/>, a UTC
/// <see cref="DateTime"/> or null (empty). Money stays decimal all the way to the file: never a double.
/// </summary>
public sealed class ExportTable
{
    private readonly List<object?[]> _rows = new();

    public ExportTable(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("an export needs at least one column", nameof(columns));
        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<object?[]> Rows => _rows;

    /// <summary>The final row, first cell "Total:" (the documented export layout); null when no total was asked.</summary>
    public object?[]? Total { get; private set; }

    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != Columns.Count) throw new ArgumentException($"a row has {row.Length} cells, the table {Columns.Count} columns", nameof(row));
        _rows.Add(row);
    }

    /// <summary>
    /// Sums the named numeric columns over every row into the "Total:" row. The label takes the first column unless
    /// that column is summed too, in which case the label is left out rather than overwriting a figure.
    /// </summary>
    public void AddTotal(IEnumerable<string> summedColumns)
    {
        ArgumentNullException.ThrowIfNull(summedColumns);
        var total = new object?[Columns.Count];
        var summed = new HashSet<int>();
        foreach (var name in summedColumns)
        {
            var index = IndexOf(name);
            if (!summed.Add(index)) continue;
            decimal sum = 0;
            foreach (var row in _rows)
            {
                sum += row[index] switch
                {
                    null => 0m,
                    decimal d => d,
                    long l => l,
                    int i => i,
                    var other => throw new InvalidOperationException($"column {name} holds {other.GetType().Name} values: only numbers are summed"),
                };
            }
            total[index] = sum;
        }
        if (!summed.Contains(0)) total[0] = TotalLabel;
        Total = total;
    }

    public const string TotalLabel = "Total:";

    /// <summary>Export times are UTC strings in this layout (one format for CSV and Excel, sortable as text).</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == name) return i;
        }
        throw new ArgumentException($"no column {name} in this export", nameof(name));
    }

    /// <summary>The text of a cell, as both writers print it (invariant culture; times as <see cref="TimeFormat"/> UTC).</summary>
    public static string Text(object? cell) => cell switch
    {
        null => "",
        string s => s,
        decimal d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"export cells are text, whole numbers, decimals or times, not {cell.GetType().Name}", nameof(cell)),
    };
}
