using System.Data.Common;
using System.Text.Json;
using Dealwire.ReadModel.History;
using Dealwire.Security;
using Dealwire.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dealwire.ReadModel.Tests.History;

/// <summary>The real server's history projector across a kill -9 (SIGKILL) while deposits stream in, on both providers.</summary>
public sealed class ProjectorKillTests
{
    [Theory]
    [MemberData(nameof(HistoryDatabase.Providers), MemberType = typeof(HistoryDatabase))]
    [Trait("Category", "Slow")]
    public async Task Every_acknowledged_deposit_is_in_the_ledger_table_exactly_once_after_a_kill_9_mid_batch(HistoryProvider provider)
    {
        await using var db = await HistoryDatabase.CreateAsync(provider);
        var options = new DealwireProcessOptions();
        options.Environment["DEALWIRE__History__Provider"] = provider.ToString();
        options.Environment["DEALWIRE__History__ConnectionString"] = provider == HistoryProvider.Sqlite
            ? $"Data Source={Path.Combine(db.Directory, "history.db")}"
            : db.ConnectionString;
        await using var server = await DealwireProcess.StartAsync(options);
        var token = server.AdminToken;
        var acked = new HashSet<int>();
        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            string Deposit(int i) => JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["command"] = "BalanceIn", ["extID"] = $"d{i}", ["__token"] = token,
                ["data"] = new Dictionary<string, object> { ["login"] = 1000, ["amount"] = 1.25m, ["comment"] = $"kill9-{i}" },
            });
            // A first half acknowledged, then a pipelined second half cut by SIGKILL: the projector is mid-batch.
            for (var i = 0; i < 200; i++) await client.SendAsync(Deposit(i));
            for (var i = 200; i < 400; i++) await client.SendAsync(Deposit(i));
            var first = true;
            try
            {
                while (true)
                {
                    var line = await client.ReadLineAsync(TimeSpan.FromSeconds(5));
                    if (!line.StartsWith('{')) continue;
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.TryGetProperty("extID", out var id) && id.GetString() is { } ext && ext.StartsWith('d')
                        && doc.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == 200)
                    {
                        acked.Add(int.Parse(ext[1..], System.Globalization.CultureInfo.InvariantCulture));
                        if (first && acked.Count >= 150)
                        {
                            first = false;
                            await server.KillAsync();
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // The connection died with the process (or every reply was read).
            }
        }

        await server.RestartAsync();
        // A sentinel write after the restart: once the store holds it, it holds everything journaled before it.
        await using (var client = await LineClient.ConnectAsync(server.ServerApiPort))
        {
            await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["command"] = "GetTradesHistoryByLogin", ["extID"] = "h", ["__token"] = token,
                ["data"] = new Dictionary<string, object> { ["login"] = 1000, ["from"] = 0, ["to"] = 4_000_000_000L },
            }));
            await client.WaitForAsync(l => l.Contains("\"extID\":\"h\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }
        // The feed keeps journaling ticks: the projector is caught up once its lag reaches 0 at some moment.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.GetHealthAsync()).GetProperty("history").GetProperty("lag").GetInt64() != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the projector did not catch up after the restart");
            await Task.Delay(50);
        }
        await server.StopAsync();

        var comments = new List<string>();
        await using (DbConnection conn = provider == HistoryProvider.Sqlite
            ? new SqliteConnection(db.ConnectionString + ";Pooling=false")
            : new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT comment FROM ledger WHERE login = 1000 AND comment LIKE 'kill9-%'";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) comments.Add(r.GetString(0));
        }
        Assert.NotEmpty(acked);
        Assert.Equal(comments.Count, comments.Distinct().Count());
        foreach (var i in acked) Assert.Contains($"kill9-{i}", comments);
    }
}
