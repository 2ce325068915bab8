using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Dealwire.ReadModel.Exports;

/// <summary>
/// An Excel workbook (<c>.xlsx</c>, Office Open XML) with one sheet: a bold header, one row per record, a bold
/// "Total:" row when asked. Numbers are numeric cells (exact decimals, so a sum in Excel matches the ledger), text is
/// inline strings (never formulas), times are the UTC text of <see cref="ExportTable.TimeFormat"/>.
/// </summary>
public static class XlsxTableWriter
{
    /// <summary>Writes the workbook; <paramref name="output"/> must be seekable (a file), as the package format needs.</summary>
    public static void Write(System.IO.Stream output, ExportTable table, string sheetName = "Export")
    {
        ArgumentNullException.ThrowIfNull(table);
        using var sheet = new XlsxSheetWriter(output, table.Columns, sheetName);
        foreach (var row in table.Rows) sheet.WriteRow(row);
        if (table.Total is { } total) sheet.WriteTotal(total);
    }

    /// <summary>A1-style column letters: 0 → A, 25 → Z, 26 → AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }
}

/// <summary>
/// Streams one sheet row by row with <see cref="OpenXmlWriter"/> (no DOM in memory), for exports read from the store a
/// page at a time. Dispose completes the workbook. Excel's sheets end at 1 048 576 rows: <see cref="MaxRows"/>.
/// </summary>
public sealed class XlsxSheetWriter : IDisposable
{
    /// <summary>Data rows a sheet can hold besides the header and a total (Excel's limit is 1 048 576 rows in all).</summary>
    public const int MaxRows = 1_048_574;

    private const uint BoldStyle = 1;
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private readonly WorksheetPart _sheet;
    private readonly OpenXmlWriter _writer;
    private readonly string _sheetName;
    private readonly int _width;
    private uint _index;
    private bool _done;

    public XlsxSheetWriter(System.IO.Stream output, IReadOnlyList<string> columns, string sheetName = "Export")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(columns);
        _width = columns.Count;
        _sheetName = SheetName(sheetName);
        _document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        _workbook = _document.AddWorkbookPart();
        _workbook.Workbook = new Workbook();
        _workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        _sheet = _workbook.AddNewPart<WorksheetPart>();
        _writer = OpenXmlWriter.Create(_sheet);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteStartElement(new SheetData());
        Write(columns, BoldStyle);
    }

    /// <summary>Data rows written so far.</summary>
    public int Rows => (int)_index - 1;

    public void WriteRow<T>(IReadOnlyList<T> cells)
    {
        if (Rows >= MaxRows) throw new InvalidOperationException($"an Excel sheet holds at most {MaxRows} rows");
        Write(cells, 0);
    }

    public void WriteTotal<T>(IReadOnlyList<T> cells) => Write(cells, BoldStyle);

    private void Write<T>(IReadOnlyList<T> cells, uint style)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (cells.Count != _width) throw new ArgumentException($"a row has {cells.Count} cells, the sheet {_width} columns", nameof(cells));
        _index++;
        _writer.WriteStartElement(new Row { RowIndex = _index });
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Cell(cells[i]);
            cell.CellReference = XlsxTableWriter.ColumnName(i) + _index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (style != 0) cell.StyleIndex = style;
            _writer.WriteElement(cell);
        }
        _writer.WriteEndElement();
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.Dispose();
        _workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = _workbook.GetIdOfPart(_sheet), SheetId = 1, Name = _sheetName }));
        _workbook.Workbook.Save();
        _document.Dispose();
    }

    private static Cell Cell(object? value) => value switch
    {
        null => new Cell(),
        decimal d => new Cell { DataType = CellValues.Number, CellValue = new CellValue(d) },
        long l => new Cell { DataType = CellValues.Number, CellValue = new CellValue((decimal)l) },
        int i => new Cell { DataType = CellValues.Number, CellValue = new CellValue(i) },
        _ => new Cell
        {
            DataType = CellValues.InlineString,
            InlineString = new InlineString(new Text(XmlSafe(ExportTable.Text(value))) { Space = SpaceProcessingModeValues.Preserve }),
        },
    };

    /// <summary>XML 1.0 forbids most control characters: a comment holding one would make the file unreadable.</summary>
    private static string XmlSafe(string text)
    {
        foreach (var ch in text)
        {
            if (ch < 0x20 && ch is not ('\t' or '\n' or '\r')) return string.Concat(text.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r'));
        }
        return text;
    }

    /// <summary>Excel's sheet name rules: at most 31 characters, none of <c>[ ] : * ? / \</c>.</summary>
    private static string SheetName(string name)
    {
        var clean = string.Concat(name.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')));
        if (clean.Length == 0) clean = "Export";
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private static Stylesheet Styles() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
}
