using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Dealwire.Console.Tests;

/// <summary>An exported workbook read back with the Open XML SDK: the first sheet's cells as text, and which are numeric.</summary>
internal static class XlsxSheet
{
    public static List<List<(string Text, bool Numeric)>> Read(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        return part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => (
            c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "",
            c.DataType?.Value == CellValues.Number)).ToList()).ToList();
    }
}
