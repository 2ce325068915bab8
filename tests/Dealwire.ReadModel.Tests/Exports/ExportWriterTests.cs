using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Dealwire.ReadModel.Exports;

namespace Dealwire.ReadModel.Tests.Exports;

public sealed class ExportWriterTests
{
    private static ExportTable Sample()
    {
        var table = new ExportTable(["order", "symbol", "volume", "profit", "comment", "open_time"]);
        table.Add([1001L, "EURUSD", 1.5m, 12.34m, "plain", new DateTime(2026, 12, 4, 9, 30, 5, DateTimeKind.Utc)]);
        table.Add([1002L, "GBPUSD", 0.01m, -0.05m, "a, \"quoted\"\r\nline", new DateTime(2026, 12, 4, 23, 59, 59, DateTimeKind.Utc)]);
        table.Add([1003L, "USDJPY", 10m, 100.00000001m, "=HYPERLINK(\"http://x\")", null]);
        return table;
    }

    [Fact]
    public void Csv_has_a_bom_crlf_rows_rfc4180_quoting_and_utc_times()
    {
        var table = Sample();
        table.AddTotal(["volume", "profit"]);
        using var stream = new MemoryStream();
        CsvTableWriter.Write(stream, table);
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.Equal(
            "order,symbol,volume,profit,comment,open_time\r\n" +
            "1001,EURUSD,1.5,12.34,plain,2026-12-04 09:30:05\r\n" +
            "1002,GBPUSD,0.01,-0.05,\"a, \"\"quoted\"\"\r\nline\",2026-12-04 23:59:59\r\n" +
            "1003,USDJPY,10,100.00000001,\"'=HYPERLINK(\"\"http://x\"\")\",\r\n" +
            "Total:,,11.51,112.29000001,,\r\n", text);
    }

    [Fact]
    public void Total_leaves_the_label_out_when_the_first_column_is_summed()
    {
        var table = new ExportTable(["volume", "symbol"]);
        table.Add([2m, "EURUSD"]);
        table.Add([3L, "EURUSD"]);
        table.AddTotal(["volume"]);
        Assert.Equal(new object?[] { 5m, null }, table.Total);
    }

    [Fact]
    public void Total_refuses_a_text_column_and_an_unknown_one()
    {
        var table = Sample();
        Assert.Throws<InvalidOperationException>(() => table.AddTotal(["symbol"]));
        Assert.Throws<ArgumentException>(() => table.AddTotal(["nope"]));
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused()
    {
        var table = new ExportTable(["a", "b"]);
        Assert.Throws<ArgumentException>(() => table.Add([1L]));
    }

    [Fact]
    public void Xlsx_reads_back_with_numbers_as_exact_numeric_cells_and_text_as_inline_strings()
    {
        var table = Sample();
        table.AddTotal(["volume", "profit"]);
        using var stream = new MemoryStream();
        XlsxTableWriter.Write(stream, table, "Trades: 2026/12");
        stream.Position = 0;
        var rows = ReadSheet(stream, out var sheetName);
        Assert.Equal("Trades 202612", sheetName);
        Assert.Equal(5, rows.Count);
        Assert.Equal(["order", "symbol", "volume", "profit", "comment", "open_time"], rows[0].Select(c => c.Text));
        Assert.Equal(("1001", true), (rows[1][0].Text, rows[1][0].Numeric));
        Assert.Equal(("12.34", true), (rows[1][3].Text, rows[1][3].Numeric));
        // XML reads CRLF inside text back as LF (end-of-line normalisation): Excel shows the same line break.
        Assert.Equal(("a, \"quoted\"\nline", false), (rows[2][4].Text, rows[2][4].Numeric));
        Assert.Equal("2026-12-04 23:59:59", rows[2][5].Text);
        Assert.Equal("=HYPERLINK(\"http://x\")", rows[3][4].Text); // an inline string is never a formula
        Assert.Equal(["Total:", "", "11.51", "112.29000001", "", ""], rows[4].Select(c => c.Text));
        Assert.Equal("F5", rows[4][5].Reference);
    }

    [Fact]
    public void Xlsx_drops_control_characters_that_xml_cannot_hold()
    {
        var table = new ExportTable(["comment"]);
        table.Add(["bell\u0007 and nul\u0000"]);
        using var stream = new MemoryStream();
        XlsxTableWriter.Write(stream, table);
        stream.Position = 0;
        Assert.Equal("bell and nul", ReadSheet(stream, out _)[1][0].Text);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_letters_follow_excel(int index, string name) => Assert.Equal(name, XlsxTableWriter.ColumnName(index));

    internal sealed record SheetCell(string Reference, string Text, bool Numeric);

    /// <summary>Reads the first sheet back with the Open XML SDK, as a spreadsheet program would see it.</summary>
    internal static List<List<SheetCell>> ReadSheet(System.IO.Stream stream, out string sheetName)
    {
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        sheetName = sheet.Name!.Value!;
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        return part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => new SheetCell(
            c.CellReference?.Value ?? "",
            c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "",
            c.DataType?.Value == CellValues.Number)).ToList()).ToList();
    }
}
