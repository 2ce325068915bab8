using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Tests.Idempotency;

/// <summary>
/// Idempotency keys in the engine: a repeat answers the original outcome, a different request under the
/// same key is refused, keys are per caller, survive snapshot and replay, and leave the window deterministically.
/// </summary>
public class IdempotencyScenarios
{
    private const string Manager = "manager:7";

    [Fact]
    public void A_repeated_open_answers_the_original_position_and_opens_nothing()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var first = h.Ok(Open(login, "place-1"));
        h.Tick("EURUSD", 1.10100m, 1.10102m); // the market moved: a second open would fill at 1.10102

        var (code, _, value) = h.Apply(Open(login, "place-1"));

        Assert.Equal(ReturnCode.OkNone, code);
        Assert.Same(first, value);
        Assert.Equal(1.10002m, ((TradeRecord)value!).OpenPrice);
        Assert.Single(h.Engine.GetPositions(login));
    }

    [Fact]
    public void A_booked_withdrawal_retried_after_the_balance_fell_answers_the_original_booking()
    {
        var h = new EngineHarness();
        var login = h.Account(100m);
        var withdrawal = h.Ok(Withdraw(login, -80m, "wd-1"));
        h.Ok(new PostLedger(login, LedgerKind.Withdrawal, -15m) { Actor = Manager }); // balance 100 − 80 − 15 = 5: a new −80 would be refused

        var (code, _, value) = h.Apply(Withdraw(login, -80m, "wd-1"));

        Assert.Equal(ReturnCode.OkNone, code);
        Assert.Equal(withdrawal, value);
        Assert.Equal(5m, h.Margin(login).Balance);
        h.AssertLedgerBalances();
    }

    [Fact]
    public void A_booked_deposit_retried_after_the_account_was_disabled_answers_the_original_booking()
    {
        var h = new EngineHarness();
        var login = h.Account(0m);
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 250m) { IdempotencyKey = "dep-1", Actor = Manager });
        var profile = h.Engine.GetAccount(login)!.Profile;
        h.Ok(new UpdateAccount(profile with { Enabled = false }));
        Assert.Equal(ReturnCode.AccountDisabled, h.Fails(new PostLedger(login, LedgerKind.Deposit, 250m) { Actor = Manager }));

        var (code, _, value) = h.Apply(new PostLedger(login, LedgerKind.Deposit, 250m) { IdempotencyKey = "dep-1", Actor = Manager });

        Assert.Equal(ReturnCode.OkNone, code);
        Assert.Equal(deposit, value);
        Assert.Equal(250m, h.Margin(login).Balance);
    }

    [Fact]
    public void A_repeated_close_answers_the_original_closing_record()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var position = h.Buy(login, "EURUSD", 100);
        var closed = h.Ok(new ClosePosition(login, position.Ticket) { IdempotencyKey = "close-1", Actor = Manager });

        var (code, _, value) = h.Apply(new ClosePosition(login, position.Ticket) { IdempotencyKey = "close-1", Actor = Manager });

        Assert.Equal(ReturnCode.OkNone, code);
        Assert.Same(closed, value);
    }

    [Fact]
    public void The_same_key_with_a_different_request_is_refused_and_changes_nothing()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Ok(Open(login, "place-1"));
        var hash = h.Engine.StateHash();

        var (code, message, _) = h.Apply(Open(login, "place-1") with { Volume = 200 });

        Assert.Equal(ReturnCode.ErrDuplicate, code);
        Assert.Contains("different request", message);
        Assert.Equal(hash, h.Engine.StateHash());
        // Another command type under the same key is a different request too.
        Assert.Equal(ReturnCode.ErrDuplicate, h.Fails(new PostLedger(login, LedgerKind.Deposit, 1m) { IdempotencyKey = "place-1", Actor = Manager }));
    }

    [Fact]
    public void Keys_are_scoped_to_the_caller()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        h.Ok(Open(login, "k"));
        var other = h.Apply(Open(login, "k") with { Actor = "manager:8" });
        Assert.Equal(ReturnCode.Ok, other.Code);
        Assert.Equal(2, h.Engine.GetPositions(login).Count());
    }

    [Fact]
    public void A_rejected_attempt_does_not_consume_its_key()
    {
        // An idempotency key names one accepted operation. A rejection changes nothing and is not journaled,
        // so a retry of a rejected withdrawal is evaluated again: after a deposit it books.
        var h = new EngineHarness();
        var login = h.Account(10m);
        Assert.Equal(ReturnCode.TradeNoMoney, h.Fails(Withdraw(login, -50m, "wd-2")));
        h.Ok(new PostLedger(login, LedgerKind.Deposit, 100m) { Actor = Manager });

        var (code, _, value) = h.Apply(Withdraw(login, -50m, "wd-2"));

        Assert.Equal(ReturnCode.Ok, code);
        Assert.Equal(60m, ((LedgerEntry)value!).BalanceAfter); // 10 + 100 − 50
    }

    [Fact]
    public void An_empty_or_overlong_key_is_invalid_data()
    {
        var h = new EngineHarness();
        var login = h.Account(100m);
        Assert.Equal(ReturnCode.InvalidData, h.Fails(Withdraw(login, -1m, "")));
        Assert.Equal(ReturnCode.InvalidData, h.Fails(Withdraw(login, -1m, new string('k', TradingEngine.MaxIdempotencyKeyLength + 1))));
    }

    [Fact]
    public void Keys_survive_snapshot_restore_and_journal_replay_with_the_same_state_hash()
    {
        var h = new EngineHarness();
        var login = h.Account(10_000m);
        var position = h.Ok(Open(login, "place-1"));
        var deposit = h.Ok(new PostLedger(login, LedgerKind.Deposit, 50m) { IdempotencyKey = "dep-1", Reference = "bank-7", Actor = Manager });
        var hash = h.Engine.StateHash();

        var snapshot = h.Engine.CreateSnapshot();
        var restored = new EngineHarness(TradingEngine.Restore(snapshot), setup: false) { Time = h.Time };
        var replayed = new TradingEngine();
        var replayedHistory = new TestHistory();
        foreach (var command in h.Journal)
        {
            Assert.Equal(ReturnCode.Ok, replayed.Execute(command).Code);
            replayedHistory.Observe(replayed.LastEvents);
        }

        Assert.Equal(2, snapshot.Idempotency.Count);
        Assert.Equal(hash, restored.Engine.StateHash());
        Assert.Equal(hash, replayed.StateHash());
        Assert.Equal("bank-7", replayedHistory.GetLedger(login, long.MinValue, long.MaxValue).Last().Reference);
        var again = new EngineHarness(replayed, setup: false) { Time = h.Time };
        foreach (var engine in new[] { restored, again })
        {
            var (code, _, value) = engine.Apply(Open(login, "place-1"));
            Assert.Equal(ReturnCode.OkNone, code);
            Assert.Equal(position.Ticket, ((TradeRecord)value!).Ticket);
            Assert.Equal(deposit, engine.Ok(new PostLedger(login, LedgerKind.Deposit, 50m) { IdempotencyKey = "dep-1", Reference = "bank-7", Actor = Manager }));
            Assert.Single(engine.Engine.GetPositions(login));
            Assert.Equal(hash, engine.Engine.StateHash());
        }
    }

    [Fact]
    public void The_state_hash_covers_the_keys()
    {
        // A snapshot that lost its keys must fail verification rather than restore an engine that would book twice.
        var h = new EngineHarness();
        var login = h.Account(100m);
        h.Ok(Withdraw(login, -1m, "wd-3"));
        var snapshot = h.Engine.CreateSnapshot();
        Assert.NotEqual(snapshot.StateHash, TradingEngine.Restore(snapshot with { Idempotency = [] }).StateHash());
    }

    [Fact]
    public void The_oldest_key_leaves_the_window_when_the_count_is_reached_and_replay_forgets_the_same()
    {
        var h = new EngineHarness(new TradingEngine(new EngineSettings { IdempotencyKeysKept = 2 }));
        var login = h.Account(1_000m);
        h.Ok(Withdraw(login, -1m, "a"));
        h.Ok(Withdraw(login, -1m, "b"));
        h.Ok(Withdraw(login, -1m, "c")); // "a" is forgotten: 2 kept

        Assert.Equal(ReturnCode.OkNone, h.Apply(Withdraw(login, -1m, "b")).Code);
        Assert.Equal(ReturnCode.Ok, h.Apply(Withdraw(login, -1m, "a")).Code); // booked again: outside the window
        Assert.Equal(996m, h.Margin(login).Balance); // 1 000 − 4 × 1

        var replayed = new TradingEngine(new EngineSettings { IdempotencyKeysKept = 2 });
        foreach (var command in h.Journal) Assert.Equal(ReturnCode.Ok, replayed.Execute(command).Code);
        Assert.Equal(h.Engine.StateHash(), replayed.StateHash());
        Assert.Equal(["c", "a"], replayed.CreateSnapshot().Idempotency.Select(r => r.Key));
    }

    [Fact]
    public void A_key_is_forgotten_once_its_time_window_has_passed()
    {
        var settings = new EngineSettings { IdempotencyWindowMs = 60_000 };
        var h = new EngineHarness(new TradingEngine(settings));
        var login = h.Account(1_000m);
        h.Ok(Withdraw(login, -1m, "t"));
        h.Time += 59_999;
        Assert.Equal(ReturnCode.OkNone, h.Apply(Withdraw(login, -1m, "t")).Code);
        Assert.NotNull(h.Engine.FindIdempotency(Manager, "t"));
        h.Time += 1; // 60 000 ms after the booking
        Assert.Equal(ReturnCode.Ok, h.Apply(Withdraw(login, -1m, "t")).Code);
        Assert.Equal(998m, h.Margin(login).Balance);
    }

    [Fact]
    public void A_rejected_command_does_not_evict_keys()
    {
        // Forgetting happens only when an accepted command adds a key; a rejection leaves the store as it was,
        // or the live engine and its replay (which never sees rejections) would diverge.
        var h = new EngineHarness(new TradingEngine(new EngineSettings { IdempotencyWindowMs = 1_000 }));
        var login = h.Account(10m);
        h.Ok(Withdraw(login, -1m, "old"));
        h.Time += 5_000;
        h.Fails(Withdraw(login, -500m, "new")); // not enough balance
        Assert.Single(h.Engine.CreateSnapshot().Idempotency);
    }

    private static OpenPosition Open(long login, string key) =>
        new(login, "EURUSD", TradeCommand.Buy, 100) { IdempotencyKey = key, Actor = Manager };

    private static PostLedger Withdraw(long login, decimal amount, string key) =>
        new(login, LedgerKind.Withdrawal, amount) { IdempotencyKey = key, Actor = Manager };
}
