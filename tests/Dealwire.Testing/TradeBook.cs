using System.Text.Json;
using Xunit;

namespace Dealwire.Testing;

/// <summary>What a <see cref="TradeOperation"/> does.</summary>
public enum TradeKind { Deposit, Open, Close }

/// <summary>One command a test client sends: a unique comment tag traces its records back to it.</summary>
public sealed record TradeOperation(TradeKind Kind, string Tag, string Command, object Data, decimal Amount = 0, long Order = 0, int Volume = 0);

/// <summary>
/// What one account's client sent and what the server acknowledged, across all rounds of a fault test (crash, failover):
/// deposits, opens and closes with unique comment tags. <see cref="ReconcileAsync"/> compares a server's records with it.
/// </summary>
public sealed class TradeBook(long login)
{
    public long Login { get; } = login;
    /// <summary>Acknowledged deposits: finance order → amount.</summary>
    public Dictionary<long, decimal> Deposits { get; } = [];
    /// <summary>Acknowledged opens: ticket → (volume, tag).</summary>
    public Dictionary<long, (int Volume, string Tag)> Opens { get; } = [];
    /// <summary>Acknowledged closes: ticket → realised profit.</summary>
    public Dictionary<long, decimal> Closes { get; } = [];
    /// <summary>Sent but never answered (the kill came first): may or may not have happened.</summary>
    public Dictionary<string, TradeOperation> InDoubt { get; } = [];
    /// <summary>Tags of everything sent (a recovered record must carry one of them).</summary>
    public HashSet<string> SentTags { get; } = [];
    /// <summary>Tags the server refused: must never appear.</summary>
    public HashSet<string> RefusedTags { get; } = [];
    public int AckedThisRound { get; set; }
    public int InDoubtThisRound { get; private set; }

    private readonly List<long> _open = [];
    private readonly HashSet<long> _closing = [];
    private readonly object _gate = new();

    public TradeOperation Next(int round, int n, Random random)
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
                return new TradeOperation(TradeKind.Close, tag, "MngCloseTradeSync", new { login = Login, order = ticket }, Order: ticket);
            }
            if (roll < 70 && _open.Count < 40)
            {
                var volume = random.Next(1, 6);
                return new TradeOperation(TradeKind.Open, tag, "MngOpenTradeSync",
                    new { login = Login, cmd = random.Next(2), volume, symbol = "EURUSD", sl = 0, tp = 0, comment = tag }, Volume: volume);
            }
            var amount = random.Next(1, 10_000) / 100m;
            return new TradeOperation(TradeKind.Deposit, tag, "BalanceInSync", new { login = Login, amount, comment = tag }, Amount: amount);
        }
    }

    /// <summary>Resets the per-round counters.</summary>
    public void StartRound()
    {
        lock (_gate) (AckedThisRound, InDoubtThisRound) = (0, 0);
    }

    public void Sent(TradeOperation op)
    {
        lock (_gate) SentTags.Add(op.Tag);
    }

    public void Settle(TradeOperation op, JsonElement reply)
    {
        lock (_gate)
        {
            if (op.Kind == TradeKind.Close) _closing.Remove(op.Order);
            var status = reply.GetProperty("status").GetInt32();
            if (status != 200)
            {
                // A refusal before the engine (RET_NOT_LEADER) or by its rules never happened; a server-side failure
                // (a deposed leader's "outcome unknown") may have, on the cluster's log or not.
                var notLeader = reply.TryGetProperty("error", out var error) && error.GetString() == "RET_NOT_LEADER";
                if (status >= 500 && !notLeader)
                {
                    InDoubt[op.Tag] = op;
                    InDoubtThisRound++;
                }
                else RefusedTags.Add(op.Tag);
                return;
            }
            var data = reply.GetProperty("data");
            var order = data.GetProperty("order").GetInt64();
            switch (op.Kind)
            {
                case TradeKind.Deposit:
                    Assert.Equal(op.Amount, data.GetProperty("profit").GetDecimal());
                    Deposits[order] = op.Amount;
                    break;
                case TradeKind.Open:
                    Opens[order] = (op.Volume, op.Tag);
                    _open.Add(order);
                    break;
                case TradeKind.Close:
                    Assert.Equal(op.Order, order);
                    Closes[order] = data.GetProperty("profit").GetDecimal();
                    _open.Remove(order);
                    break;
            }
            AckedThisRound++;
        }
    }

    /// <summary>Sent, but no reply came (the connection died or timed out): it may or may not have happened.</summary>
    public void Unanswered(TradeOperation op)
    {
        lock (_gate)
        {
            InDoubt[op.Tag] = op;
            InDoubtThisRound++;
        }
    }

    /// <summary>
    /// Compares one server's records of this account with the book: every acknowledged operation is there exactly once
    /// with its acknowledged values, every record traces back to something sent and not refused, and the balance is
    /// its ledger. In-doubt operations found are adopted, so a second server (a replica) must then agree exactly.
    /// <paramref name="call"/> sends a command and returns the reply's data.
    /// </summary>
    public async Task ReconcileAsync(Func<string, object, Task<JsonElement>> call, string where)
    {
        var table = await call("MngGetTradesByFilter", new
        {
            groupFilter = "*", limit = 50_000, offset = 0, tradeType = 0, where = new object[] { new object[] { "login", "=", Login } },
        });
        var columns = table.GetProperty("structure").EnumerateArray().Select(x => x.GetString()!).ToList();
        var rows = table.GetProperty("rows").EnumerateArray().Select(r => columns.Zip(r.EnumerateArray()).ToDictionary(p => p.First, p => p.Second)).ToList();
        var byOrder = rows.ToDictionary(r => r["order"].GetInt64());
        where = $"{where}, account {Login}";
        // Exactly once: no operation (one tag) left two records.
        var twice = rows.GroupBy(r => r["comment"].GetString() ?? "").FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
        Assert.True(twice is null, $"{where}: '{twice?.Key}' has {twice?.Count()} records");

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
                if (op.Kind == TradeKind.Deposit)
                {
                    Assert.Equal(6, cmd);
                    Assert.Equal(op.Amount, r["profit"].GetDecimal());
                    Deposits[order] = op.Amount;
                }
                else
                {
                    Assert.Equal(TradeKind.Open, op.Kind);
                    Assert.Equal(op.Volume, r["volume"].GetInt32());
                    Opens[order] = (op.Volume, tag);
                }
            }
            // An in-doubt close either happened whole (closed, profit booked) or not at all (still open).
            foreach (var op in InDoubt.Values.Where(o => o.Kind == TradeKind.Close))
            {
                var r = byOrder[op.Order];
                if (r["close_time"].GetInt64() > 0) Closes[op.Order] = r["profit"].GetDecimal();
            }
            InDoubt.Clear();
            // ... and nothing closed that no acknowledged or in-doubt close asked for.
            var unasked = rows.FirstOrDefault(r => r["cmd"].GetInt32() is 0 or 1 && r["close_time"].GetInt64() > 0 && !Closes.ContainsKey(r["order"].GetInt64()));
            Assert.True(unasked is null, $"{where}: position #{unasked?["order"]} is closed but no close of it was acknowledged or in doubt");
            _closing.Clear();
            _open.Clear();
            _open.AddRange(rows.Where(r => r["cmd"].GetInt32() is 0 or 1 && r["close_time"].GetInt64() == 0).Select(r => r["order"].GetInt64()));
        }

        // The balance is its ledger: deposits plus realised results of closed positions, to the cent.
        var ledger = rows.Where(r => r["cmd"].GetInt32() == 6).Sum(r => r["profit"].GetDecimal())
            + rows.Where(r => r["cmd"].GetInt32() is 0 or 1 && r["close_time"].GetInt64() > 0)
                .Sum(r => r["profit"].GetDecimal() + r["commission"].GetDecimal() + r["storage"].GetDecimal());
        var balances = await call("GetUserBalanceList", new { logins = new[] { Login } });
        var balance = balances.GetProperty("rows")[0].GetProperty("balance").GetDecimal();
        Assert.True(ledger == balance, $"{where}: balance {balance} but the ledger sums to {ledger}");
        var account = await call("GetAccountByLogin", new { login = Login });
        Assert.Equal(balance, account.GetProperty("balance").GetDecimal());
    }
}
