using System.Net;
using System.Net.Http.Headers;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests.EndToEnd;

/// <summary>
/// A server started with a short <c>Exports:Retention</c>: an export is served while it is young, then answers 404 and
/// is deleted from <c>storage/</c> by the retention sweep (watched on disk, never assumed after a sleep).
/// </summary>
[Trait("Category", "Slow")] // a process of its own
public sealed class ExportRetentionEndToEndTests : IAsyncLifetime
{
    private DealwireProcess _server = null!;

    public async Task InitializeAsync()
    {
        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Exports__Retention"] = "00:00:03";
        options.Environment["DEALWIRE__Exports__SweepInterval"] = "00:00:00.250";
        _server = await DealwireProcess.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_export_is_served_until_its_retention_ends_and_then_deleted()
    {
        await using var c = await LineClient.ConnectAsync(_server.ServerApiPort);
        var export = await c.CallAsync("MngExportTradesByFilter", new { groupFilter = "*", tradeType = 0, format = "csv" }, _server.AdminToken);
        export.AssertOk();
        var fileName = export.Data().GetProperty("file_name").GetString()!;
        var path = Path.Combine(_server.DataDir, "storage", fileName);
        Assert.True(File.Exists(path));

        using var http = new HttpClient { BaseAddress = _server.HttpAddress };
        async Task<HttpStatusCode> FetchAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "storage/" + fileName);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.AdminToken);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await FetchAsync());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (File.Exists(path) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.False(File.Exists(path), "the retention sweep did not delete the expired export");
        Assert.False(File.Exists(path + ".owner"));
        Assert.Equal(HttpStatusCode.NotFound, await FetchAsync());
    }
}
