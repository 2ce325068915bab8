using System.Globalization;
using System.Text.Json;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.ManagerApi.Tests.Infrastructure;
using Dealwire.ReadModel.History;
using Microsoft.Extensions.DependencyInjection;

namespace Dealwire.ManagerApi.Tests;

/// <summary>
/// The keyset paging extension of <c>get_balance_operations</c> and <c>get_history_positions</c> (<c>limit</c>,
/// <c>cursor</c> → <c>next_cursor</c>): every row exactly once, in order, while new rows are being written.
/// </summary>
public sealed class HistoryPagingTests : IAsyncLifetime
{
    private ManagerApiServer _server = null!;
    private ManagerClient _reader = null!;
    private ManagerClient _writer = null!;
    private long _login;

    public async Task InitializeAsync()
    {
        _server = await ManagerApiServer.StartAsync();
        _login = await _server.AccountAsync("demo", 100m);
        _reader = await _server.ConnectAsync();
        await _reader.AuthAsync(_server.AdminKey, "num_id_preferred");
        _writer = await _server.ConnectAsync();
        await _writer.AuthAsync(_server.AdminKey, "num_id_preferred");
    }

    public async Task DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _writer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static string Deposit(long login, string processId) =>
        $"{{\"account_id\":{{\"id\":{login}}},\"delta\":1,\"process_id\":\"{processId}\",\"reason\":\"deposit\",\"same_response_process_id\":true}}";

    [Fact]
    public async Task Balance_operation_pages_return_every_row_once_while_deposits_go_on()
    {
        // 40 deposits through the reader's own connection: read-your-writes puts all of them in its first page's view.
        for (var i = 0; i < 40; i++) await _reader.CallAsync("update_balance", Deposit(_login, $"before-{i}"));
        var unpaged = (await _reader.CallAsync("get_balance_operations", $"{{\"account_id\":{{\"id\":{_login}}}}}"))
            .At("get_balance_operations_response.success").EnumerateArray().Select(Id).ToList();
        Assert.Equal(41, unpaged.Count); // the opening deposit and the 40

        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 200; i++) await _writer.CallAsync("update_balance", Deposit(_login, $"during-{i}"));
        });
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var body = cursor is null
                ? $"{{\"account_id\":{{\"id\":{_login}}},\"limit\":7}}"
                : $"{{\"account_id\":{{\"id\":{_login}}},\"limit\":7,\"cursor\":\"{cursor}\"}}";
            var reply = (await _reader.CallAsync("get_balance_operations", body)).At("get_balance_operations_response");
            var rows = reply.GetProperty("success").EnumerateArray().ToList();
            Assert.True(rows.Count <= 7);
            seen.AddRange(rows.Select(Id));
            cursor = reply.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
            Assert.True(cursor is null || rows.Count == 7, "a page before the last one is full");
            pages++;
        }
        while (cursor is not null && pages < 100);
        stop.Cancel();
        await writes;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(unpaged, id => Assert.Contains(id, seen));
        Assert.True(pages >= 6);
    }

    [Fact]
    public async Task History_position_pages_follow_close_time_and_end_without_a_cursor()
    {
        var tickets = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var opened = await _server.Ok(new OpenPosition(_login, "EURUSD", TradeCommand.Buy, 1));
            await _server.Ok(new ClosePosition(_login, opened.Ticket));
            tickets.Add(opened.Ticket);
        }
        // The closes went straight to the engine, not through this connection: wait for the store to have them.
        var last = await _server.Runner.QueryAsync(r => r.LastSequence);
        await _server.Services.GetRequiredService<IHistoryReader>().WaitForAsync(last).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var first = await PageAsync("{\"limit\":3}");
        Assert.Equal(3, first.Rows.Count);
        Assert.NotNull(first.Next);
        var second = await PageAsync($"{{\"limit\":3,\"cursor\":\"{first.Next}\"}}");
        Assert.Equal(2, second.Rows.Count);
        Assert.Null(second.Next);
        Assert.Equal(tickets.Select(t => t.ToString(CultureInfo.InvariantCulture)), first.Rows.Concat(second.Rows));
    }

    [Theory]
    [InlineData("{\"limit\":0}")]
    [InlineData("{\"limit\":10001}")]
    [InlineData("{\"limit\":5,\"cursor\":\"yesterday\"}")]
    [InlineData("{\"cursor\":\"12:\"}")]
    public async Task A_bad_limit_or_cursor_is_refused_and_the_connection_stays_usable(string body)
    {
        var reply = await _reader.CallAsync("get_history_positions", body);
        Assert.Equal("invalid_message_format", reply.At("get_history_positions_response.error").GetString());
        var again = await _reader.CallAsync("get_history_positions", "{}");
        Assert.Equal(JsonValueKind.Array, again.At("get_history_positions_response.success").ValueKind);
    }

    [Fact]
    public async Task Without_limit_or_cursor_the_reply_is_the_documented_shape()
    {
        var reply = await _reader.CallAsync("get_history_positions", "{}");
        var response = reply.At("get_history_positions_response");
        Assert.Equal(["success"], response.EnumerateObject().Select(p => p.Name));
    }

    private async Task<(List<string> Rows, string? Next)> PageAsync(string body)
    {
        var reply = (await _reader.CallAsync("get_history_positions", body)).At("get_history_positions_response");
        var rows = reply.GetProperty("success").EnumerateArray().Select(Id).ToList();
        return (rows, reply.TryGetProperty("next_cursor", out var n) ? n.GetString() : null);
    }

    private static string Id(JsonElement row)
    {
        var id = row.GetProperty("id");
        return id.ValueKind == JsonValueKind.Object ? id.GetProperty("num_id").ToString() : id.ToString();
    }
}
