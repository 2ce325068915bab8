using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;

namespace Dealwire.Engine.Core;

/// <summary>
/// The trading state machine. Every change enters through <see cref="Execute"/> with a stamped command;
/// it owns no thread, clock or I/O, so applying the same commands from empty gives the same state.
/// A rejected command changes nothing; a command that changed nothing answers <see cref="ReturnCode.OkNone"/>.
/// </summary>
public sealed partial class TradingEngine : IEngineReader
{
    private readonly List<EngineEvent> _events = new();
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolState> _symbolsBySource = new(StringComparer.Ordinal);
    private readonly List<SymbolState> _symbolList = new();
    private readonly SortedDictionary<int, SymbolGroupConfig> _symbolGroups = new();
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly List<GroupState> _groupList = new();
    private readonly SortedDictionary<long, Account> _accounts = new();
    private readonly Dictionary<long, Trade> _open = new();
    private long _nextTicket = 1;
    private long _nextLogin;
    private long _nextLedgerId = 1;
    /// <summary>Unix day number of the last swap rollover booked.</summary>
    private long _lastRolloverDay;
    private EngineCommand _current = null!;

    public TradingEngine(EngineSettings? settings = null)
    {
        Settings = settings ?? new EngineSettings();
        _nextLogin = Settings.FirstLogin;
    }

    public EngineSettings Settings { get; private set; }

    public long LastSequence { get; private set; }

    public long Now { get; private set; }

    public EngineCounters Counters { get; } = new();

    /// <summary>Events produced by the last <see cref="Execute"/> call.</summary>
    public IReadOnlyList<EngineEvent> LastEvents => _events;

    /// <summary>The last accepted tick (symbol, raw quote).</summary>
    public (string Symbol, Quote Quote) LastTick { get; private set; }

    public PricingTable Pricing { get; private set; } = PricingTable.Empty;

    public int AccountCount => _accounts.Count;

    public int SymbolCount => _symbols.Count;

    /// <summary>Applies one stamped command. Rejections change nothing.</summary>
    public (ReturnCode Code, string Message, object? Value) Execute(EngineCommand command)
    {
        _events.Clear();
        _current = command;
        _changeClock++;
        // Handlers read Now; only an applied command may move it, so a replay (which never sees
        // rejections) ends at the same Now as the live engine.
        var before = Now;
        if (command.Time > Now) Now = command.Time;
        (ReturnCode Code, string Message, object? Value) result = AnswerRepeat(command) ?? command switch
        {
            ApplyTick c => Tick(c),
            OpenPosition c => Open(c),
            ClosePosition c => Close(c),
            CloseBy c => CloseByOpposite(c),
            ModifyPosition c => Modify(c),
            PlacePendingOrder c => Place(c),
            ModifyPendingOrder c => ModifyOrder(c),
            CancelPendingOrder c => Cancel(c),
            EditTrade c => Edit(c),
            DeleteTrade c => DeleteClosed(c),
            RestoreTrade c => Restore(c),
            PostLedger c => Post(c),
            ReverseLedger c => Reverse(c),
            AmendLedger c => Amend(c),
            CreateAccount c => Create(c),
            UpdateAccount c => Update(c),
            DeleteAccount c => Delete(c),
            AdvanceTime => Advance(),
            SetRolloverTime c => SetRollover(c),
            UpdateServerConfig c => UpdateConfig(c),
            UpsertSymbol c => Upsert(c),
            DeleteSymbol c => Delete(c),
            UpsertSymbolGroup c => Upsert(c),
            DeleteSymbolGroup c => Delete(c),
            UpsertGroup c => Upsert(c),
            DeleteGroup c => Delete(c),
            AddNotification c => Notify(c),
            PatchAccount c => Patch(c),
            PatchSymbol c => Patch(c),
            PatchSymbolGroup c => Patch(c),
            PatchGroup c => Patch(c),
            EditChart c => Chart(c),
            UpsertDesk c => Upsert(c),
            AddCustomer c => Add(c),
            LinkAccountToCustomer c => Link(c),
            TakeCheckpoint c => Checkpoint(c),
            VerifyCheckpoint c => Verify(c),
            _ => Reject(ReturnCode.InvalidData, $"unknown command {command.GetType().Name}"),
        };

        if (result.Code == ReturnCode.Ok)
        {
            LastSequence = command.Sequence;
            Counters.CommandsApplied++;
            RememberOutcome(command, result.Value);
        }
        else
        {
            Now = before;
            if (result.Code != ReturnCode.OkNone)
            {
                Counters.CommandsRejected++;
                _events.Clear();
            }
        }
        return result;
    }

    private static (ReturnCode, string, object?) Ok(object? value) => (ReturnCode.Ok, "", value);

    private static (ReturnCode, string, object?) Unchanged(object? value) => (ReturnCode.OkNone, "", value);

    private static (ReturnCode, string, object?) Reject(ReturnCode code, string message) => (code, message, null);

    private void Emit(EngineEvent e)
    {
        e.Sequence = _current.Sequence;
        e.Time = Now;
        _events.Add(e);
        // Whatever an event says about an account changed its figures: readers of changes see it.
        var login = e switch
        {
            TradeEvent t => t.Trade.Login,
            BalanceEvent b => b.Entry.Login,
            AccountEvent a => a.Account.Profile.Login,
            MarginLevelEvent m => m.Margin.Login,
            _ => 0,
        };
        if (login != 0 && _accounts.TryGetValue(login, out var account)) account.ChangedAt = _changeClock;
    }

    /// <summary>Advances once per command; not part of the state (see <see cref="Account.ChangedAt"/>).</summary>
    private long _changeClock;

    private long NextTicket() => _nextTicket++;
}
