using System.Text;

namespace Dealwire.ReadModel.Exports;

/// <summary>
/// RFC 4180 CSV: comma separated, CRLF line ends, fields quoted when they hold a comma, quote or line break, UTF-8 with a
/// byte order mark (without it Excel reads UTF-8 names as ANSI). Text that a spreadsheet would run as a formula
/// (starting with <c>= + - @</c>, tab or CR) is prefixed with an apostrophe: a client-written comment must not become
/// a formula on a dealer's machine (OWASP "CSV injection"). Numbers are never prefixed.
/// </summary>
public static class CsvTableWriter
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static void Write(System.IO.Stream output, ExportTable table)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(writer, table.Columns);
        foreach (var row in table.Rows) WriteRow(writer, row);
        if (table.Total is { } total) WriteRow(writer, total);
    }

    private static void WriteRow<T>(StreamWriter writer, IReadOnlyList<T> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) writer.Write(',');
            var cell = cells[i];
            var text = ExportTable.Text(cell);
            if (cell is string && IsFormulaStart(text) && text != ExportTable.TotalLabel) text = "'" + text;
            writer.Write(Quote(text));
        }
        writer.WriteLine();
    }

    private static bool IsFormulaStart(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    internal static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
