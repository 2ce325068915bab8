using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;
using Dealwire.Engine.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Dealwire.Engine.Tests.Properties;

/// <summary>
/// One step of a generated broker session. Accounts, positions and symbols are named by index, taken modulo
/// what exists when the step runs, so any sub-list of a session is a session too: FsCheck can drop steps and
/// shrink numbers, and a failure comes back as the shortest sequence that still fails.
/// </summary>
public abstract record SessionStep
{
    public sealed record Open(int InitialDeposit) : SessionStep;

    public sealed record Deposit(int Account, int Cents) : SessionStep;

    public sealed record Withdraw(int Account, int Cents) : SessionStep;

    public sealed record Trade(int Account, int Symbol, bool Buy, int Volume) : SessionStep;

    public sealed record Close(int Account, int Position) : SessionStep;

    /// <summary>Moves a symbol's bid by <paramref name="Points"/> points (a gap crosses stops and may stop accounts out).</summary>
    public sealed record Move(int Symbol, int Points) : SessionStep;

    /// <summary>Lets hours pass: rollovers book swaps, orders expire.</summary>
    public sealed record Wait(int Hours) : SessionStep;
}

/// <summary>Generators of <see cref="SessionStep"/> lists, with FsCheck's shrinking of lists and records.</summary>
public static class SessionArbitraries
{
    /// <summary>Arrays of steps; shrinking drops steps and shrinks the ones left (FsCheck's array shrinker over <see cref="Steps"/>).</summary>
    public static Arbitrary<SessionStep[]> Sessions() => ArbMap.Default.MergeArb(Steps()).ArbFor<SessionStep[]>();

    public static Arbitrary<SessionStep> Steps() => Arb.From(Step(), Shrink);

    private static Gen<SessionStep> Step() => Gen.Frequency(
        (2, Gen.Choose(0, 50_000).Select(d => (SessionStep)new SessionStep.Open(d))),
        (2, Gen.Choose(0, 20).SelectMany(a => Gen.Choose(1, 1_000_000), (a, c) => (SessionStep)new SessionStep.Deposit(a, c))),
        (1, Gen.Choose(0, 20).SelectMany(a => Gen.Choose(1, 1_000_000), (a, c) => (SessionStep)new SessionStep.Withdraw(a, c))),
        (4, Gen.Choose(0, 20).SelectMany(a => Gen.Choose(0, 5), (a, s) => (a, s))
            .SelectMany(_ => Gen.Elements(true, false), (x, b) => (x.a, x.s, b))
            .SelectMany(_ => Gen.Choose(1, 500), (x, v) => (SessionStep)new SessionStep.Trade(x.a, x.s, x.b, v))),
        (2, Gen.Choose(0, 20).SelectMany(a => Gen.Choose(0, 20), (a, p) => (SessionStep)new SessionStep.Close(a, p))),
        (5, Gen.Choose(0, 5).SelectMany(s => Gen.Choose(-2_000, 2_000), (s, p) => (SessionStep)new SessionStep.Move(s, p))),
        (1, Gen.Choose(1, 30).Select(h => (SessionStep)new SessionStep.Wait(h))));

    /// <summary>Smaller numbers first, so a counterexample's amounts and volumes come back small too.</summary>
    private static IEnumerable<SessionStep> Shrink(SessionStep step) => step switch
    {
        SessionStep.Open o when o.InitialDeposit > 0 => [o with { InitialDeposit = 0 }, o with { InitialDeposit = o.InitialDeposit / 2 }],
        SessionStep.Deposit d when d.Cents > 1 => [d with { Cents = 1 }, d with { Cents = d.Cents / 2 }],
        SessionStep.Trade t when t.Volume > 1 => [t with { Volume = 1 }, t with { Volume = t.Volume / 2 }],
        SessionStep.Move m when m.Points != 0 => [m with { Points = m.Points / 2 }],
        _ => [],
    };
}

/// <summary>
/// The ledger and replay invariants over generated command lists (compare <see cref="EngineProperties"/>, which
/// plays seeded sessions: a failure there is a seed, here it is a minimal list of steps).
/// </summary>
[Properties(Arbitrary = [typeof(SessionArbitraries)], MaxTest = 60)]
public sealed class CommandSequenceProperties
{
    private static readonly string[] Symbols = ["EURUSD", "GBPUSD", "USDJPY", "EURGBP", "XAUUSD", "US500"];

    [Property]
    public void Balance_equals_the_sum_of_its_ledger_entries_after_any_session(SessionStep[] steps)
    {
        var h = Play(steps);
        // Equity = balance + credit + profit + swap to the cent does NOT hold here: FsCheck shrank a failure to
        // [Open 92; Buy 0.01 US500] (floating -0.005 rounds to -0.01 in Profit but the equity 91.995 rounds to 92.00).
        // Reported to the engine's owners; EngineProperties allows a cent per position for that reason.
        h.AssertLedgerBalances();
    }

    [Property]
    public void Replaying_the_journal_of_any_session_gives_the_same_state_hash(SessionStep[] steps)
    {
        var h = Play(steps);
        var replay = new TradingEngine();
        foreach (var command in h.Journal) Assert.Equal(ReturnCode.Ok, replay.Execute(command).Code);
        Assert.Equal(h.Engine.StateHash(), replay.StateHash());
    }

    [Fact]
    public void A_failing_session_shrinks_to_the_one_step_that_breaks_the_property()
    {
        // A false claim ("no deposit ever changes a balance") must come back as a single step, not the long
        // random session that found it: the generators shrink.
        var claim = Prop.ForAll(SessionArbitraries.Sessions(), steps =>
        {
            var h = Play(steps);
            return h.Engine.GetAccounts(GroupMask.All).All(a => a.Margin.Balance == 0m);
        });
        var failure = Assert.ThrowsAny<Exception>(() => claim.Check(Config.QuickThrowOnFailure.WithMaxTest(200)));
        // Whatever random session failed first, the minimal one is: open an account with the smallest deposit.
        var shrunk = failure.Message[failure.Message.IndexOf("Shrunk:", StringComparison.Ordinal)..];
        Assert.StartsWith("Shrunk:\n[|Open { InitialDeposit = 1 }|]", shrunk.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>Runs the steps on a fresh harness; refusals (no money, no position) are part of a session.</summary>
    private static EngineHarness Play(SessionStep[] steps)
    {
        var h = new EngineHarness();
        var logins = new List<long>();
        foreach (var step in steps)
        {
            if (step is SessionStep.Open open)
            {
                if (h.Apply(new CreateAccount(new AccountProfile { Group = "demo", Name = "Gen" }) { InitialDeposit = open.InitialDeposit }).Value is AccountSnapshot a)
                {
                    logins.Add(a.Profile.Login);
                }
                continue;
            }
            if (step is SessionStep.Move move)
            {
                var symbol = h.Engine.GetSymbol(Symbols[move.Symbol % Symbols.Length])!;
                var quote = h.Engine.GetQuote(symbol.Name)!.Value;
                var bid = Math.Max(symbol.Point * 10, quote.Bid + move.Points * symbol.Point);
                h.Tick(symbol.Name, bid, bid + symbol.Point * 2);
                continue;
            }
            if (step is SessionStep.Wait wait)
            {
                h.Time += wait.Hours * 3_600_000L;
                h.Apply(new AdvanceTime());
                continue;
            }
            if (logins.Count == 0) continue;
            switch (step)
            {
                case SessionStep.Deposit d:
                    h.Apply(new PostLedger(logins[d.Account % logins.Count], LedgerKind.Deposit, d.Cents / 100m));
                    break;
                case SessionStep.Withdraw w:
                    h.Apply(new PostLedger(logins[w.Account % logins.Count], LedgerKind.Withdrawal, -w.Cents / 100m));
                    break;
                case SessionStep.Trade t:
                    h.Apply(new OpenPosition(logins[t.Account % logins.Count], Symbols[t.Symbol % Symbols.Length], t.Buy ? TradeCommand.Buy : TradeCommand.Sell, t.Volume));
                    break;
                case SessionStep.Close c:
                    var login = logins[c.Account % logins.Count];
                    var positions = h.Engine.GetPositions(login).OrderBy(p => p.Ticket).ToList();
                    if (positions.Count > 0) h.Apply(new ClosePosition(login, positions[c.Position % positions.Count].Ticket));
                    break;
            }
        }
        return h;
    }
}
