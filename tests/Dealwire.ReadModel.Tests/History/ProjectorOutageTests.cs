using System.Text.Json;
using Dealwire.Testing;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>
/// The real server's history projector writing to the real PostgreSQL through a proxy that the test cuts mid-traffic
/// (every connection reset, new ones refused for three seconds) after terminating the projector's backend with
/// <c>pg_terminate_backend</c>. The shared cluster is not restarted (parallel tests use it): this is an outage of the
/// database as the projector sees it, a broken network path and a killed session, not a server restart.
/// </summary>
public sealed class ProjectorOutageTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Every_deal_and_ledger_row_is_stored_exactly_once_across_a_cut_connection_and_a_terminated_backend()
    {
        await using var db = await HistoryDatabase.CreateAsync(Dealwire.ReadModel.History.HistoryProvider.PostgreSql);
        var direct = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        await using var proxy = new CuttableTcpProxy(direct.Host!, direct.Port);
        var application = "dw-outage-" + Guid.NewGuid().ToString("N")[..8];
        var viaProxy = new NpgsqlConnectionStringBuilder(db.ConnectionString)
        {
            Host = "127.0.0.1", Port = proxy.Port, ApplicationName = application, Timeout = 3, CommandTimeout = 5,
        }.ConnectionString;

        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Feed__ReplayLoop"] = "false";
        options.Environment["DEALWIRE__History__Provider"] = "PostgreSql";
        options.Environment["DEALWIRE__History__ConnectionString"] = viaProxy;
        options.Environment["DEALWIRE__History__RetryMax"] = "00:00:00.500";
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();
        var token = server.AdminToken;

        var deposits = new HashSet<string>();
        var closed = new HashSet<long>();
        Task<string>? outage = null;
        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            var api = new ServerApiCalls(client, token, server);
            Task<JsonElement> Call(string command, object data) => api.CallAsync(command, data);

            for (var i = 0; i < 240; i++)
            {
                if (i == 80)
                {
                    // Mid-traffic: kill the projector's session on the server side, then cut its network path.
                    await TerminateBackendsAsync(application);
                    proxy.Cut();
                    outage = EndOutageAsync(server, proxy);
                }
                var comment = $"outage-{i}";
                await Call("BalanceInSync", new { login = 1000, amount = 1.25m, comment });
                deposits.Add(comment);
                if (i % 3 == 0)
                {
                    var order = (await Call("MngOpenTradeSync", new { login = 1000, cmd = 0, volume = 1, symbol = "EURUSD", sl = 0, tp = 0, comment }))
                        .GetProperty("order").GetInt64();
                    await Call("MngCloseTradeSync", new { login = 1000, order });
                    closed.Add(order);
                }
                if (outage is { IsCompleted: false }) await Task.Delay(10); // traffic keeps flowing through the outage
            }
            Assert.NotNull(outage);
            await outage;
        }

        // Caught up: the projector's stored sequence reaches the engine's, with no lag left.
        long live = 0, stored = -1;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var health = await server.GetHealthAsync();
            live = health.GetProperty("sequence").GetInt64();
            stored = await ScalarAsync(db.ConnectionString, "SELECT min(sequence) FROM projector_state");
            if (stored == live && health.GetProperty("history").GetProperty("lag").GetInt64() == 0) break;
            await Task.Delay(100);
        }
        Assert.Equal(live, stored);

        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        var ledger = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT comment FROM ledger WHERE login = 1000 AND comment LIKE 'outage-%'", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) ledger.Add(r.GetString(0));
        }
        Assert.Equal(deposits.Count, ledger.Count);
        // The finance records of the deposits are in the deals table too (one per deposit), beside the closed deals.
        Assert.Equal(deposits.Count, await ScalarAsync(db.ConnectionString,
            "SELECT count(*) FROM deals WHERE login = 1000 AND comment LIKE 'outage-%' AND command NOT IN (0, 1)"));
        Assert.Equal(deposits.OrderBy(c => c), ledger.OrderBy(c => c));
        var deals = new List<long>();
        await using (var cmd = new NpgsqlCommand("SELECT ticket FROM deals WHERE login = 1000 AND comment LIKE 'outage-%' AND command IN (0, 1)", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) deals.Add(r.GetInt64(0));
        }
        Assert.Equal(closed.Count, deals.Count);
        Assert.Equal(closed.OrderBy(t => t), deals.OrderBy(t => t));
        Assert.True(closed.Count >= 80);
        await server.StopAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// After three seconds of outage (the test's traffic goes on meanwhile), checks the projector felt it (a write error
    /// in /health, or connections refused), then restores the path.
    /// </summary>
    private static async Task<string> EndOutageAsync(DealwireProcess server, CuttableTcpProxy proxy)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        try
        {
            var error = (await server.GetHealthAsync()).GetProperty("history").GetProperty("error");
            var felt = error.ValueKind == JsonValueKind.String ? error.GetString()! : null;
            Assert.True(felt is not null || proxy.Refused > 0, "the projector did not notice the cut");
            return felt ?? $"{proxy.Refused} connections refused";
        }
        finally
        {
            proxy.Restore();
        }
    }

    private static async Task TerminateBackendsAsync(string application)
    {
        await using var admin = new NpgsqlConnection(HistoryDatabase.AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @a", admin);
        cmd.Parameters.AddWithValue("a", application);
        var terminated = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.True(terminated > 0, "the projector had no open session to terminate");
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
