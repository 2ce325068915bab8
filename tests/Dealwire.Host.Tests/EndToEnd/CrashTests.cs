using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dealwire.Persistence.Tools;
using Dealwire.Testing;
using Xunit.Abstractions;

namespace Dealwire.Host.Tests.EndToEnd;

/// <summary>
/// The durability acceptance test: the real process under concurrent pipelined deposits, opens and closes over
/// the Server API is SIGKILLed at a random (seeded, logged) moment, 20 times. After each restart every
/// acknowledged operation is there with its acknowledged values, nothing appears that was never sent or was
/// refused, every balance equals its ledger, and the recovered state hash equals a replay of the journal from
/// empty (and snapshot + tail, since snapshots are taken every 2 000 commands and no segment is retired).
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output)
{
    private static readonly int Rounds = int.Parse(Environment.GetEnvironmentVariable("DEALWIRE_CRASH_ROUNDS") ?? "20", CultureInfo.InvariantCulture);
    private const int Clients = 4;
    private const int Window = 2;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Every_acknowledged_operation_survives_sigkill_and_recovery_replays_to_the_same_state()
    {
        var seed = Environment.GetEnvironmentVariable("DEALWIRE_CRASH_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Environment.TickCount;
        output.WriteLine($"crash test seed {seed} (set DEALWIRE_CRASH_SEED to repeat the kill schedule)");
        var random = new Random(seed);

        var options = new DealwireProcessOptions().WithFixedPrices();
        options.Environment["DEALWIRE__Durability__SnapshotEveryCommands"] = "2000";
        options.Environment["DEALWIRE__Durability__CoveredSegmentsToKeep"] = "1000";
        await using var server = await DealwireProcess.StartAsync(options);
        await server.WaitUntilPricedAsync();
        var token = server.AdminToken;

        var books = new List<Book>();
        await using (var setup = await RecordedStream.ConnectAsync(server.ServerApiPort))
        {
            for (var i = 0; i < Clients; i++)
            {
                var login = (await setup.CallAsync("MngAddAccount", new
                {
                    group = "demo", name = $"Crash {i}", email = "crash@example.com", password = "secret1", leverage = 100, enable = 1,
                }, token)).GetProperty("login").GetInt64();
                var book = new Book(login);
                var deposit = await setup.CallAsync("BalanceInSync", new { login, amount = 100_000m, comment = "seed" }, token);
                book.Deposits[deposit.GetProperty("order").GetInt64()] = 100_000m;
                books.Add(book);
            }
        }

        var total = Stopwatch.StartNew();
        for (var round = 1; round <= Rounds; round++)
        {
            var killAfter = random.Next(300, 2000);
            var clientSeeds = Enumerable.Range(0, Clients).Select(_ => random.Next()).ToArray();
            using var load = new CancellationTokenSource();
            var tasks = books.Select((b, i) => RunClientAsync(server.ServerApiPort, token, b, round, new Random(clientSeeds[i]), load.Token)).ToList();
            await Task.Delay(killAfter);
            await server.KillAsync();
            await load.CancelAsync();
            await Task.WhenAll(tasks);
            var acked = books.Sum(b => b.AckedThisRound);
            output.WriteLine($"round {round}: SIGKILL after {killAfter} ms, {acked} acknowledged, {books.Sum(b => b.InDoubt.Count)} in doubt");
            Assert.True(acked > 0, $"round {round}: nothing was acknowledged before the kill");

            // What the journal holds, replayed offline before the server touches it.
            var phase = Stopwatch.StartNew();
            var verify = DataTools.Verify(server.DataDir);
            var verifyMs = phase.ElapsedMilliseconds;
            Assert.True(verify.Healthy, $"round {round}: {string.Join("; ", verify.Problems)}");
            Assert.NotNull(verify.FullReplayStateHash);
            Assert.Equal(verify.FullReplayStateHash, verify.StateHash);

            phase.Restart();
            await server.RestartAsync();
            var restartMs = phase.ElapsedMilliseconds;
            var recovered = RecoveredPattern().Match(server.OutputSinceLastStart);
            Assert.True(recovered.Success, $"no recovery line:\n{server.OutputSinceLastStart}");
            Assert.Equal(verify.LastSequence, long.Parse(recovered.Groups["sequence"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(verify.StateHash, recovered.Groups["hash"].Value);
            var health = await server.GetHealthAsync();
            Assert.True(health.GetProperty("sequence").GetInt64() >= verify.LastSequence, health.GetRawText());

            await using var check = await RecordedStream.ConnectAsync(server.ServerApiPort);
            phase.Restart();
            foreach (var book in books) await book.ReconcileAsync(check, token, round);
            output.WriteLine($"  verify {verifyMs} ms, restart {restartMs} ms, reconcile {phase.ElapsedMilliseconds} ms");
        }
        output.WriteLine($"{Rounds} rounds in {total.Elapsed.TotalSeconds:0.0} s; final journal: {DataTools.Verify(server.DataDir).LastSequence} commands");

        // The CLI agrees with the running server's recovery after the last round.
        await server.KillAsync();
        var cli = await DealwireCli.RunAsync("data", "verify", "--data-dir", server.DataDir);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("status         : healthy", cli.StandardOutput, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Recovered to sequence (?<sequence>\d+) in .*state hash (?<hash>[0-9a-f]+)")]
    private static partial Regex RecoveredPattern();

    /// <summary>
    /// One client: pipelines up to <see cref="Window"/> commands on its own account until the connection dies.
    /// Every operation carries a unique comment tag, so recovered records can be traced to what was sent.
    /// </summary>
    private static async Task RunClientAsync(int port, string token, Book book, int round, Random random, CancellationToken stop)
    {
        book.AckedThisRound = 0;
        LineClient client;
        try
        {
            client = await LineClient.ConnectAsync(port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return; // killed before this client connected
        }
        await using var _ = client;
        var pending = new ConcurrentDictionary<string, Operation>();
        using var slots = new SemaphoreSlim(Window);
        var reading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var line = await client.ReadLineAsync(TimeSpan.FromSeconds(30));
                    if (!line.StartsWith("{\"extID\"", StringComparison.Ordinal)) continue;
                    using var doc = JsonDocument.Parse(line);
                    var reply = doc.RootElement;
                    if (!pending.TryRemove(reply.GetProperty("extID").GetString()!, out var op)) continue;
                    book.Settle(op, reply);
                    slots.Release();
                }
            }
            catch (Exception ex) when (ex is EndOfStreamException or TimeoutException or IOException or ObjectDisposedException)
            {
                // The server was killed: whatever is still pending is in doubt.
            }
        }, CancellationToken.None);

        var n = 0;
        try
        {
            while (!stop.IsCancellationRequested && !reading.IsCompleted)
            {
                await slots.WaitAsync(stop);
                var op = book.Next(round, n++, random);
                pending[op.Tag] = op;
                book.Sent(op);
                await client.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["command"] = op.Command, ["data"] = op.Data, ["extID"] = op.Tag, ["__token"] = token,
                }));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
        await client.DisposeAsync();
        await reading;
        foreach (var op in pending.Values) book.InDoubt[op.Tag] = op;
    }

    private enum Kind { Deposit, Open, Close }

    private sealed record Operation(Kind Kind, string Tag, string Command, object Data, decimal Amount = 0, long Order = 0, int Volume = 0);

    /// <summary>What one account's client sent and what the server acknowledged, across all rounds.</summary>
    private sealed class Book(long login)
    {
        public long Login { get; } = login;
        /// <summary>Acknowledged deposits: finance order → amount.</summary>
        public Dictionary<long, decimal> Deposits { get; } = [];
        /// <summary>Acknowledged opens: ticket → (volume, tag).</summary>
        public Dictionary<long, (int Volume, string Tag)> Opens { get; } = [];
        /// <summary>Acknowledged closes: ticket → realised profit.</summary>
        public Dictionary<long, decimal> Closes { get; } = [];
        /// <summary>Sent but never answered (the kill came first): may or may not have happened.</summary>
        public Dictionary<string, Operation> InDoubt { get; } = [];
        /// <summary>Tags of everything sent (a recovered record must carry one of them).</summary>
        public HashSet<string> SentTags { get; } = [];
        /// <summary>Tags the server refused: must never appear.</summary>
        public HashSet<string> RefusedTags { get; } = [];
        public int AckedThisRound { get; set; }

        private readonly List<long> _open = [];
        private readonly HashSet<long> _closing = [];
        private readonly object _gate = new();

        public Operation Next(int round, int n, Random random)
        {
            var tag = $"r{round}-{Login}-{n}";
            lock (_gate)
            {
                var roll = random.Next(100);
                var closable = _open.Where(t => !_closing.Contains(t)).ToList();
                if (roll < 35 && closable.Count > 0)
                {
                    var ticket = closable[random.Next(closable.Count)];
                    _closing.Add(ticket);
                    return new Operation(Kind.Close, tag, "MngCloseTradeSync", new { login = Login, order = ticket }, Order: ticket);
                }
                if (roll < 70 && _open.Count < 40)
                {
                    var volume = random.Next(1, 6);
                    return new Operation(Kind.Open, tag, "MngOpenTradeSync",
                        new { login = Login, cmd = random.Next(2), volume, symbol = "EURUSD", sl = 0, tp = 0, comment = tag }, Volume: volume);
                }
                var amount = random.Next(1, 10_000) / 100m;
                return new Operation(Kind.Deposit, tag, "BalanceInSync", new { login = Login, amount, comment = tag }, Amount: amount);
            }
        }

        public void Sent(Operation op)
        {
            lock (_gate) SentTags.Add(op.Tag);
        }

        public void Settle(Operation op, JsonElement reply)
        {
            lock (_gate)
            {
                if (op.Kind == Kind.Close) _closing.Remove(op.Order);
                if (reply.GetProperty("status").GetInt32() != 200)
                {
                    RefusedTags.Add(op.Tag);
                    return;
                }
                var data = reply.GetProperty("data");
                var order = data.GetProperty("order").GetInt64();
                switch (op.Kind)
                {
                    case Kind.Deposit:
                        Assert.Equal(op.Amount, data.GetProperty("profit").GetDecimal());
                        Deposits[order] = op.Amount;
                        break;
                    case Kind.Open:
                        Opens[order] = (op.Volume, op.Tag);
                        _open.Add(order);
                        break;
                    case Kind.Close:
                        Assert.Equal(op.Order, order);
                        Closes[order] = data.GetProperty("profit").GetDecimal();
                        _open.Remove(order);
                        break;
                }
                AckedThisRound++;
            }
        }

        /// <summary>Compares the recovered server state with this book; adopts in-doubt operations that did happen.</summary>
        public async Task ReconcileAsync(RecordedStream c, string token, int round)
        {
            var table = await c.CallAsync("MngGetTradesByFilter", new
            {
                groupFilter = "*", limit = 50_000, offset = 0, tradeType = 0, where = new object[] { new object[] { "login", "=", Login } },
            }, token);
            var columns = table.GetProperty("structure").EnumerateArray().Select(x => x.GetString()!).ToList();
            var rows = table.GetProperty("rows").EnumerateArray().Select(r => columns.Zip(r.EnumerateArray()).ToDictionary(p => p.First, p => p.Second)).ToList();
            var byOrder = rows.ToDictionary(r => r["order"].GetInt64());
            var where = $"round {round}, account {Login}";

            foreach (var (order, amount) in Deposits)
            {
                Assert.True(byOrder.TryGetValue(order, out var r), $"{where}: acknowledged deposit #{order} ({amount}) is missing");
                Assert.Equal(6, r["cmd"].GetInt32());
                Assert.Equal(amount, r["profit"].GetDecimal());
            }
            foreach (var (ticket, (volume, tag)) in Opens)
            {
                Assert.True(byOrder.TryGetValue(ticket, out var r), $"{where}: acknowledged position #{ticket} is missing");
                Assert.Equal(volume, r["volume"].GetInt32());
                Assert.Equal(tag, r["comment"].GetString());
            }
            foreach (var (ticket, profit) in Closes)
            {
                var r = byOrder[ticket];
                Assert.True(r["close_time"].GetInt64() > 0, $"{where}: acknowledged close of #{ticket} is not closed");
                Assert.Equal(profit, r["profit"].GetDecimal());
            }

            // Every recovered record traces back to something sent and not refused; in-doubt ones that happened are adopted.
            lock (_gate)
            {
                foreach (var r in rows)
                {
                    var order = r["order"].GetInt64();
                    var cmd = r["cmd"].GetInt32();
                    if (cmd == 6 && Deposits.ContainsKey(order)) continue;
                    if (cmd is 0 or 1 && Opens.ContainsKey(order)) continue;
                    var tag = r["comment"].GetString() ?? "";
                    Assert.True(SentTags.Contains(tag), $"{where}: record #{order} (cmd {cmd}, comment '{tag}') was never sent");
                    Assert.DoesNotContain(tag, RefusedTags);
                    Assert.True(InDoubt.TryGetValue(tag, out var op), $"{where}: record #{order} '{tag}' was neither acknowledged nor in doubt");
                    if (op.Kind == Kind.Deposit)
                    {
                        Assert.Equal(6, cmd);
                        Assert.Equal(op.Amount, r["profit"].GetDecimal());
                        Deposits[order] = op.Amount;
                    }
                    else
                    {
                        Assert.Equal(Kind.Open, op.Kind);
                        Assert.Equal(op.Volume, r["volume"].GetInt32());
                        Opens[order] = (op.Volume, tag);
                    }
                }
                // An in-doubt close either happened whole (closed, profit booked) or not at all (still open).
                foreach (var op in InDoubt.Values.Where(o => o.Kind == Kind.Close))
                {
                    var r = byOrder[op.Order];
                    if (r["close_time"].GetInt64() > 0) Closes[op.Order] = r["profit"].GetDecimal();
                }
                InDoubt.Clear();
                _closing.Clear();
                _open.Clear();
                _open.AddRange(rows.Where(r => r["cmd"].GetInt32() is 0 or 1 && r["close_time"].GetInt64() == 0).Select(r => r["order"].GetInt64()));
            }

            // The balance is its ledger: deposits plus realised results of closed positions, to the cent.
            var ledger = rows.Where(r => r["cmd"].GetInt32() == 6).Sum(r => r["profit"].GetDecimal())
                + rows.Where(r => r["cmd"].GetInt32() is 0 or 1 && r["close_time"].GetInt64() > 0)
                    .Sum(r => r["profit"].GetDecimal() + r["commission"].GetDecimal() + r["storage"].GetDecimal());
            var balances = await c.CallAsync("GetUserBalanceList", new { logins = new[] { Login } }, token);
            var balance = balances.GetProperty("rows")[0].GetProperty("balance").GetDecimal();
            Assert.True(ledger == balance, $"{where}: balance {balance} but the ledger sums to {ledger}");
            var account = await c.CallAsync("GetAccountByLogin", new { login = Login }, token);
            Assert.Equal(balance, account.GetProperty("balance").GetDecimal());
        }
    }
}
