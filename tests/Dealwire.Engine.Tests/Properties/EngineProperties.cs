using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using FsCheck;
using FsCheck.Fluent;

namespace Dealwire.Engine.Tests.Properties;

/// <summary>Invariants that hold after any sequence of commands.</summary>
public class EngineProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(25);

    private static void ForAllSessions(Action<EngineHarness, int> check) =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue - 1)), (int seed) =>
        {
            var h = new EngineHarness();
            new RandomSession(h, seed).Play(400);
            // Guard against a vacuous session: it must have traded.
            Assert.True(h.Journal.Count > 200, $"seed {seed}: only {h.Journal.Count} commands applied");
            Assert.True(h.History.GetHistory(null, long.MinValue, long.MaxValue).Any(t => t.Command.IsMarket()), $"seed {seed}: no deal closed");
            check(h, seed);
        }).Check(Runs);

    [Fact]
    public void Balance_equals_the_sum_of_its_ledger_entries() => ForAllSessions((h, _) => h.AssertLedgerBalances());

    [Fact]
    public void Equity_is_balance_plus_credit_plus_the_records_profit_and_swap_to_the_cent()
    {
        // Exact, no tolerance: equity is reported from the per-position profit the records show, rounded the
        // same way (a tolerance of a cent per position used to hide 92 USD + US500 −0.005 reporting 92.00).
        ForAllSessions((h, seed) =>
        {
            foreach (var a in h.Engine.GetAccounts(GroupMask.All))
            {
                var positions = h.Engine.GetPositions(a.Profile.Login).ToList();
                var floating = positions.Sum(p => p.Profit + p.Swap);
                var m = a.Margin;
                Assert.True(m.Equity == m.Balance + m.Credit + floating,
                    $"seed {seed} login {a.Profile.Login}: equity {m.Equity} vs {m.Balance} + {m.Credit} + {floating}");
                Assert.Equal(positions.Sum(p => p.Profit), m.Profit);
            }
        });
    }

    [Fact]
    public void Every_trade_belongs_to_an_existing_account()
    {
        ForAllSessions((h, _) =>
        {
            var logins = h.Engine.GetAccounts(GroupMask.All).Select(a => a.Profile.Login).ToHashSet();
            Assert.All(h.Engine.GetPositions(), p => Assert.Contains(p.Login, logins));
            Assert.All(h.Engine.GetPendingOrders(), p => Assert.Contains(p.Login, logins));
            Assert.All(h.History.GetHistory(null, long.MinValue, long.MaxValue), p => Assert.Contains(p.Login, logins));
        });
    }

    [Fact]
    public void No_account_is_left_below_stop_out_with_positions_open()
    {
        ForAllSessions((h, seed) =>
        {
            foreach (var a in h.Engine.GetAccounts(GroupMask.All))
            {
                if (!h.Engine.GetPositions(a.Profile.Login).Any() || a.Margin.Margin == 0) continue;
                var group = h.Engine.GetGroup(a.Profile.Group)!;
                Assert.True(a.Margin.MarginLevel >= group.StopOut, $"seed {seed} login {a.Profile.Login} level {a.Margin.MarginLevel}");
            }
        });
    }

    [Fact]
    public void Replaying_the_same_commands_from_empty_gives_the_same_state_hash()
    {
        ForAllSessions((h, seed) =>
        {
            var replay = new TradingEngine();
            foreach (var command in h.Journal) Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
            Assert.Equal(h.Engine.StateHash(), replay.StateHash());
        });
    }

    [Fact]
    public void Random_sessions_exercise_the_dealing_rules()
    {
        // Guards the properties against vacuity: across a few seeds, every server-side rule fired.
        var seen = new HashSet<Activation>();
        var swapped = false;
        for (var seed = 0; seed < 10; seed++)
        {
            var h = new EngineHarness();
            new RandomSession(h, seed).Play(400);
            var trades = h.History.GetHistory(null, long.MinValue, long.MaxValue).Concat(h.Engine.GetPositions()).ToList();
            foreach (var t in trades) seen.Add(t.Activation);
            swapped |= trades.Any(t => t.Command.IsMarket() && t.Swap != 0 && t.Comment.Length == 0 && h.Journal.OfType<Commands.AdvanceTime>().Any());
        }
        Assert.True(seen.IsSupersetOf([Activation.Pending, Activation.StopLoss, Activation.Expiration, Activation.StopOut]), $"seen: {string.Join(", ", seen)}");
        Assert.True(swapped, "no rollover booked a swap");
    }

    [Fact]
    public void A_restored_engine_continues_exactly_like_the_original()
    {
        ForAllSessions((h, seed) =>
        {
            // Trigger books, expiry index and rollover day are rebuilt or carried: the same next commands give the same state.
            var restored = new EngineHarness(TradingEngine.Restore(h.Engine.CreateSnapshot()), setup: false) { Time = h.Time, History = h.History.Clone() };
            new RandomSession(h, seed + 1).Play(150);
            new RandomSession(restored, seed + 1).Play(150);
            Assert.True(h.Engine.StateHash() == restored.Engine.StateHash(), $"seed {seed}: the restored engine diverged");
        });
    }

    [Fact]
    public void Snapshot_restore_gives_the_same_state_hash_and_figures()
    {
        ForAllSessions((h, seed) =>
        {
            var snapshot = h.Engine.CreateSnapshot();
            var restored = TradingEngine.Restore(snapshot);
            Assert.Equal(snapshot.StateHash, restored.StateHash());
            foreach (var a in h.Engine.GetAccounts(GroupMask.All))
            {
                Assert.Equal(a.Margin, restored.GetMargin(a.Profile.Login));
            }
        });
    }
}
