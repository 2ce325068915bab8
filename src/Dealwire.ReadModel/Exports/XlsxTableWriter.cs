using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Dealwire.ReadModel.Exports;

/// <summary>
/// An Excel workbook (<c>.xlsx</c>, Office Open XML) with one sheet: a bold header, one row per record, a bold
/// "Total:" row when asked. Numbers are numeric cells (exact decimals, so a sum in Excel matches the ledger), text is
/// inline strings (never formulas), times are the UTC text of <see cref="ExportTable.TimeFormat"/>. Rows are streamed
/// with <see cref="OpenXmlWriter"/>, so a whole history export does not build a DOM in memory.
/// </summary>
public static class XlsxTableWriter
{
    private const uint BoldStyle = 1;

    /// <summary>Writes the workbook; <paramref name="output"/> must be seekable (a file), as the package format needs.</summary>
    public static void Write(System.IO.Stream output, ExportTable table, string sheetName = "Export")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            uint index = 0;
            WriteRow(writer, ++index, table.Columns, BoldStyle);
            foreach (var row in table.Rows) WriteRow(writer, ++index, row, 0);
            if (table.Total is { } total) WriteRow(writer, ++index, total, BoldStyle);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        workbookPart.Workbook.AppendChild(new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = SheetName(sheetName) }));
        workbookPart.Workbook.Save();
    }

    private static void WriteRow<T>(OpenXmlWriter writer, uint index, IReadOnlyList<T> cells, uint style)
    {
        writer.WriteStartElement(new Row { RowIndex = index });
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Cell(cells[i]);
            cell.CellReference = ColumnName(i) + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (style != 0) cell.StyleIndex = style;
            writer.WriteElement(cell);
        }
        writer.WriteEndElement();
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

    /// <summary>A1-style column letters: 0 → A, 25 → Z, 26 → AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

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
