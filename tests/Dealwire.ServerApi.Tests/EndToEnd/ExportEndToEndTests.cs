using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Dealwire.Security;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// Issue #15, exports, over a real socket to a real process: MngExportTradesByFilter and ExportTradesByLogin write the
/// whole filtered table to <c>storage/</c>, and <c>GET /storage/{file_name}</c> serves it to its owner. The files are
/// opened and checked row by row against what MngGetTradesByFilter answers for the same filter.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class ExportEndToEndTests(RealServerFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.HttpAddress };

    private string Admin => fixture.AdminToken;

    public void Dispose() => _http.Dispose();

    /// <summary>An account with a deposit, an open position of 0.10 lots and a closed one of 0.25 lots.</summary>
    private async Task<(long Login, long Open, long Closed)> TradedAccountAsync(LineClient c)
    {
        var added = await c.CallAsync("AddUser", new { group = "demo", name = "Exporter", email = "export@example.com", password = "secret1", leverage = 100, enable = 1 }, Admin);
        added.AssertOk();
        var login = added.Data().GetProperty("login").GetInt64();
        (await c.CallAsync("BalanceInSync", new { login, amount = 5000m, comment = "wire, \"first\"" }, Admin)).AssertOk();
        var open = await c.CallAsync("MngOpenTradeSync", new { login, cmd = 0, volume = 10, symbol = "EURUSD", sl = 0, tp = 0, comment = "=1+1" }, Admin);
        open.AssertOk();
        var closing = await c.CallAsync("MngOpenTradeSync", new { login, cmd = 1, volume = 25, symbol = "EURUSD", sl = 0, tp = 0 }, Admin);
        closing.AssertOk();
        var closed = closing.Data().GetProperty("order").GetInt64();
        (await c.CallAsync("MngCloseTradeSync", new { login, order = closed }, Admin)).AssertOk();
        return (login, open.Data().GetProperty("order").GetInt64(), closed);
    }

    private async Task<HttpResponseMessage> DownloadAsync(string fileName, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "storage/" + fileName);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<byte[]> DownloadOkAsync(string fileName, string token, string contentType)
    {
        using var response = await DownloadAsync(fileName, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static List<string[]> ParseCsv(byte[] bytes)
    {
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = new List<string[]>();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else cell.Append(ch);
        }
        Assert.Empty(row); // the file ends with CRLF
        return rows;
    }

    [Fact]
    public async Task A_filtered_export_to_csv_holds_every_row_in_lots_and_utc_times_with_the_totals_the_table_reports()
    {
        await using var c = await fixture.ConnectAsync();
        var (login, open, closed) = await TradedAccountAsync(c);
        var filter = new { where = new object[] { new object[] { "login", "=", login } }, orderBy = new object[] { new object[] { "order", "asc" } } };

        var export = await c.CallAsync("MngExportTradesByFilter", new
        {
            groupFilter = "*", tradeType = 0, format = "csv", filter.where, filter.orderBy,
            select = new[] { "order", "login", "cmd", "volume", "open_time", "close_time", "profit", "comment" },
            total = new[] { "volume", "profit" },
        }, Admin);
        export.AssertOk();
        var fileName = export.Data().GetProperty("file_name").GetString()!;
        Assert.Matches("^[0-9a-f]{32}\\.csv$", fileName);
        Assert.Equal(3, export.Data().GetProperty("count").GetInt32());
        Assert.True(File.Exists(Path.Combine(fixture.Server.DataDir, "storage", fileName)));

        var rows = ParseCsv(await DownloadOkAsync(fileName, Admin, "text/csv"));
        Assert.Equal(["order", "login", "cmd", "volume", "open_time", "close_time", "profit", "comment"], rows[0]);
        Assert.Equal(5, rows.Count); // header, deposit, two trades, total
        var byOrder = rows[1..^1].ToDictionary(r => long.Parse(r[0], CultureInfo.InvariantCulture));
        Assert.Equal("0.1", byOrder[open][3]);
        Assert.Equal("'=1+1", byOrder[open][7]); // a comment that a spreadsheet would run is defused
        Assert.Equal("", byOrder[open][5]); // still open: no close time
        Assert.Equal("0.25", byOrder[closed][3]);
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$", byOrder[closed][4]);
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$", byOrder[closed][5]);
        var deposit = rows[1..^1].Single(r => r[2] == "6");
        Assert.Equal((5000m, "wire, \"first\""), (decimal.Parse(deposit[6], CultureInfo.InvariantCulture), deposit[7]));

        // The file agrees with the table the same filter pages through, to the cent.
        var table = (await c.CallAsync("MngGetTradesByFilter", new { groupFilter = "*", tradeType = 0, limit = 100, offset = 0, filter.where }, Admin)).Data();
        var total = rows[^1];
        Assert.Equal("Total:", total[0]);
        Assert.Equal(table.GetProperty("total_volume").GetDecimal() / 100m, decimal.Parse(total[3], CultureInfo.InvariantCulture));
        Assert.Equal(table.GetProperty("total_profit").GetDecimal(), decimal.Parse(total[6], CultureInfo.InvariantCulture));
        Assert.Equal(0.35m, decimal.Parse(total[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_excel_export_opens_as_a_workbook_with_numeric_cells_and_a_total_row()
    {
        await using var c = await fixture.ConnectAsync();
        var (login, _, closed) = await TradedAccountAsync(c);
        var export = await c.CallAsync("MngExportTradesByFilter", new
        {
            groupFilter = "demo*", tradeType = 2, format = "excel", where = new object[] { new object[] { "login", "=", login } }, total = 1,
        }, Admin);
        export.AssertOk();
        var fileName = export.Data().GetProperty("file_name").GetString()!;
        Assert.EndsWith(".xlsx", fileName, StringComparison.Ordinal);
        var bytes = await DownloadOkAsync(fileName, Admin, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single();
        var rows = ((WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!.Value!)).Worksheet.Descendants<Row>().ToList();
        Assert.Equal(3, rows.Count); // header, the closed deal, total
        string Text(Cell cell) => cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";
        var header = rows[0].Elements<Cell>().Select(Text).ToList();
        Assert.Equal("group", header[^1]); // every filter column when select is absent
        var deal = rows[1].Elements<Cell>().ToList();
        Assert.Equal(closed.ToString(CultureInfo.InvariantCulture), Text(deal[header.IndexOf("order")]));
        Assert.Equal(CellValues.Number, deal[header.IndexOf("volume")].DataType!.Value);
        Assert.Equal("0.25", Text(deal[header.IndexOf("volume")]));
        Assert.Equal("demo", Text(deal[header.IndexOf("group")]));
        var total = rows[2].Elements<Cell>().ToList();
        Assert.Equal("Total:", Text(total[0]));
        Assert.Equal(Text(deal[header.IndexOf("profit")]), Text(total[header.IndexOf("profit")]));
        Assert.Equal("0.25", Text(total[header.IndexOf("volume")]));
    }

    [Fact]
    public async Task A_user_exports_only_its_own_account_and_another_session_cannot_fetch_the_file()
    {
        await using var c = await fixture.ConnectAsync();
        var (login, _, _) = await TradedAccountAsync(c);
        var (other, _, _) = await TradedAccountAsync(c);
        var user = (await c.CallAsync("AuthUser", new { login, password = "secret1" }, "")).Data().GetProperty("__token").GetString()!;
        var otherUser = (await c.CallAsync("AuthUser", new { login = other, password = "secret1" }, "")).Data().GetProperty("__token").GetString()!;

        // A user exports its own account; naming another one is refused.
        (await c.CallAsync("ExportTradesByLogin", new { tradeType = 0, format = "csv", login = other }, user)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        var export = await c.CallAsync("ExportTradesByLogin", new { tradeType = 0, format = "csv", select = new[] { "login", "order" } }, user);
        export.AssertOk();
        var fileName = export.Data().GetProperty("file_name").GetString()!;
        var rows = ParseCsv(await DownloadOkAsync(fileName, user, "text/csv"));
        Assert.Equal(4, rows.Count);
        Assert.All(rows[1..], r => Assert.Equal(login.ToString(CultureInfo.InvariantCulture), r[0]));

        using (var refused = await DownloadAsync(fileName, otherUser)) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var manager = fixture.Issue(SessionType.Manager, 4401, "*");
        using (var refused = await DownloadAsync(fileName, manager)) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var anonymous = await DownloadAsync(fileName, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var body = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("TOKEN_INVALID", body.GetProperty("error").GetString());
        }
        using (var forged = await DownloadAsync(fileName, "not-a-token")) Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        // The admin may fetch anything; the token may also come as a query parameter (a plain link).
        using (var byLink = await _http.GetAsync($"storage/{fileName}?token={Uri.EscapeDataString(Admin)}")) Assert.Equal(HttpStatusCode.OK, byLink.StatusCode);

        // Staff name the account, inside their mask.
        var staff = await c.CallAsync("ExportTradesByLogin", new { tradeType = 4, format = "excel", login = other }, Admin);
        staff.AssertOk();
        Assert.Equal(1, staff.Data().GetProperty("count").GetInt32());
        (await c.CallAsync("ExportTradesByLogin", new { tradeType = 4, format = "csv" }, Admin)).AssertError(400, "INVALID_DATA");
        var vipOnly = fixture.Issue(SessionType.Manager, 4402, "vip*");
        (await c.CallAsync("ExportTradesByLogin", new { tradeType = 4, format = "csv", login = other }, vipOnly)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
    }

    [Fact]
    public async Task Bad_requests_get_stable_codes_and_write_no_file()
    {
        await using var c = await fixture.ConnectAsync();
        var storage = Path.Combine(fixture.Server.DataDir, "storage");
        var before = Directory.Exists(storage) ? Directory.GetFiles(storage).Length : 0;
        var added = await c.CallAsync("AddUser", new { group = "demo", name = "Refused", email = "refused@example.com", password = "secret1", leverage = 100, enable = 1 }, Admin);
        added.AssertOk();
        var user = (await c.CallAsync("AuthUser", new { login = added.Data().GetProperty("login").GetInt64(), password = "secret1" }, "")).Data().GetProperty("__token").GetString()!;

        async Task Refused(object data, int status, string error, string? token = null) =>
            (await c.CallAsync("MngExportTradesByFilter", data, token ?? Admin)).AssertError(status, error);

        await Refused(new { groupFilter = "*", tradeType = 0 }, 400, "INVALID_DATA"); // format missing
        await Refused(new { groupFilter = "*", tradeType = 0, format = "pdf" }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 9, format = "csv" }, 400, "INVALID_DATA");
        await Refused(new { tradeType = 0, format = "csv" }, 400, "INVALID_DATA"); // groupFilter missing
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", select = new[] { "order", "password" } }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", select = Array.Empty<string>() }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", select = "order" }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", total = new[] { "symbol" } }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", select = new[] { "order" }, total = new[] { "profit" } }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", total = 2 }, 400, "INVALID_DATA");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv", where = new object[] { new object[] { "nope", "=", 1 } } }, 400, "INVALID_DATA");

        // Rights: a manager without the export right, and a user session on the staff command.
        var noExport = fixture.Issue(SessionType.Manager, 4403, "*", rights: [Rights.SeeTrades]);
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv" }, 403, "RET_NOT_ENOUGH_RIGHTS", noExport);
        (await c.CallAsync("ExportTradesByLogin", new { tradeType = 0, format = "csv", login = RealServerFixture.HedgingLogin }, noExport)).AssertError(403, "RET_NOT_ENOUGH_RIGHTS");
        await Refused(new { groupFilter = "*", tradeType = 0, format = "csv" }, 403, "RET_NOT_ENOUGH_RIGHTS", user);

        Assert.Equal(before, Directory.Exists(storage) ? Directory.GetFiles(storage).Length : 0);
        // The connection is still usable after every refusal.
        (await c.CallAsync("MngExportTradesByFilter", new { groupFilter = "nobody*", tradeType = 1, format = "csv" }, Admin)).AssertOk();
    }

    [Fact]
    public async Task Names_the_server_did_not_make_are_not_found()
    {
        foreach (var name in new[] { "0123456789abcdef0123456789abcdef.csv", "..%2Fadmin-token.txt", "admin-token.txt", "x.owner" })
        {
            using var response = await DownloadAsync(name, Admin);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
