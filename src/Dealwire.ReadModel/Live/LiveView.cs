using System.Collections.Concurrent;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Stream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dealwire.ReadModel.Live;

/// <summary>
/// The live projection, in memory and shared by every gateway. Seeded once from the engine at a batch edge,
/// then fed by the committed stream from that sequence: each batch is applied whole under a write lock, so a
/// read (under the read lock) sees the state after some whole batch, never half of one. Last prices live
/// outside the lock (a tick touches nothing else). Observers hear each batch after it is applied.
/// </summary>
public sealed partial class LiveView : ILiveView, ICommittedConsumer, IAsyncDisposable
{
    /// <summary>The consumer name in lag metrics and <c>/health</c>.</summary>
    public const string ConsumerName = "live-view";

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Dictionary<long, AccountSnapshot> _accounts = new();
    /// <summary>Open positions and pending orders by login, in ticket order (the engine's paging order).</summary>
    private readonly Dictionary<long, SortedDictionary<long, TradeRecord>> _tradesByLogin = new();
    private readonly Dictionary<long, TradeRecord> _trades = new();
    private readonly OrderedConfig<string, SymbolConfig> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _symbolBySource = new(StringComparer.Ordinal);
    private readonly OrderedConfig<int, SymbolGroupConfig> _symbolGroups = new(EqualityComparer<int>.Default);
    private readonly OrderedConfig<string, GroupConfig> _groups = new(StringComparer.Ordinal);
    private readonly OrderedConfig<string, DeskRecord> _desks = new(StringComparer.Ordinal);
    private readonly OrderedConfig<long, CustomerRecord> _customers = new(EqualityComparer<long>.Default);
    /// <summary>Accounts the batch being applied deleted or moved between groups, as they were before it.</summary>
    private readonly ConcurrentDictionary<long, AccountSnapshot> _beforeBatch = new();
    private readonly ConcurrentDictionary<string, Quote> _quotes = new(StringComparer.Ordinal);
    private readonly object _observersGate = new();
    private ILiveObserver[] _observers = [];
    private readonly SequenceWaiters _waiters = new();
    private readonly ILogger _logger;
    private volatile PricingTable _pricing = PricingTable.Empty;
    private long _sequence = -1;
    private IDisposable? _subscription;

    public LiveView(ILogger<LiveView>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>-1 until seeded.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Seeds the view from the engine (one query on its thread, at a batch edge) and follows the stream after the
    /// seed's sequence. Call once, after the runner started and before any gateway reads.
    /// </summary>
    public async Task StartAsync(EngineRunner runner, ICommittedStream stream, CancellationToken cancellationToken = default)
    {
        // What is committed while the seed is taken stays in the stream until the view subscribes after it: another
        // consumer may read it first, and the stream keeps no read tail by default.
        using var hold = stream.Hold(stream.PublishedSequence);
        var seed = await runner.QueryAtBatchEdgeAsync(LiveSeed.From, cancellationToken).ConfigureAwait(false);
        Load(seed);
        _subscription = stream.Subscribe(ConsumerName, seed.Sequence, this);
    }

    /// <summary>Replaces the whole state with <paramref name="seed"/> (before the view follows the stream).</summary>
    public void Load(LiveSeed seed)
    {
        _lock.EnterWriteLock();
        try
        {
            _accounts.Clear();
            _trades.Clear();
            _tradesByLogin.Clear();
            ClearTradeIndex();
            ClearExposure();
            foreach (var a in seed.Accounts) _accounts[a.Profile.Login] = a;
            foreach (var t in seed.Positions) PutTrade(t);
            foreach (var t in seed.PendingOrders) PutTrade(t);
            _symbols.Clear();
            _symbolBySource.Clear();
            foreach (var s in seed.Symbols) PutSymbol(s);
            _symbolGroups.Clear();
            foreach (var g in seed.SymbolGroups) _symbolGroups.Put(g.Index, g);
            _groups.Clear();
            foreach (var g in seed.Groups) _groups.Put(g.Name, g);
            _desks.Clear();
            foreach (var d in seed.Desks ?? []) _desks.Put(d.Code, d);
            _customers.Clear();
            foreach (var c in seed.Customers ?? []) _customers.Put(c.CustomerId, c);
            _quotes.Clear();
            foreach (var (symbol, quote) in seed.Quotes) _quotes[symbol] = quote;
            RebuildPricing();
            Interlocked.Exchange(ref _sequence, seed.Sequence);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        _waiters.Release(seed.Sequence);
    }

    public (long Sequence, T Value) ReadConsistent<T>(Func<ILiveView, T> read) => Read(() => (Sequence, read(this)));

    public ValueTask WaitForAsync(long sequence, CancellationToken cancellationToken = default) =>
        Sequence >= sequence ? ValueTask.CompletedTask : _waiters.WaitAsync(sequence, () => Sequence, cancellationToken);

    /// <summary>
    /// The view's subscription stopped by itself (lapped with no journal to read the gap from, or an apply that threw):
    /// the view will not move again. Reads that wait for a later sequence fail at once with the reason rather than wait
    /// for good, and <c>/health</c> turns red (the stream shows this consumer <c>faulted</c>).
    /// </summary>
    public void OnStopped(Exception error)
    {
        var at = Sequence;
        _logger.LogCritical(error, "The live view stopped at sequence {Sequence}: reads are stale from here; restart the server", at);
        _waiters.Fail(new InvalidOperationException($"The live view stopped at sequence {at} ({error.Message}); restart the server.", error));
    }

    public void AddObserver(ILiveObserver observer)
    {
        // Copy on write: observers are added at start, read on every batch.
        lock (_observersGate) _observers = [.. _observers, observer];
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _waiters.Fail(new ObjectDisposedException(nameof(LiveView)));
        await ValueTask.CompletedTask.ConfigureAwait(false);
    }

    public string? GroupOf(long login) => Read(login, static (v, l) => v._accounts.TryGetValue(l, out var a) ? a.Profile.Group : null);

    public long? RegistrationOf(long login) => Read(login, static (v, l) => v._accounts.TryGetValue(l, out var a) ? a.Profile.RegistrationSequence : (long?)null);

    public AccountSnapshot? BeforeBatch(long login) => _beforeBatch.GetValueOrDefault(login);

    public AccountSnapshot? GetAccount(long login) => Read(login, static (v, l) => v._accounts.GetValueOrDefault(l));

    public IEnumerable<AccountSnapshot> GetAccounts(GroupMask mask) =>
        Read(() => _accounts.Values.Where(a => mask.Matches(a.Profile.Group)).ToArray());

    public MarginSnapshot? GetMargin(long login) => Read(login, static (v, l) => v._accounts.TryGetValue(l, out var a) ? a.Margin : null);

    public IEnumerable<TradeRecord> GetPositions(long? login = null) => Trades(login, static t => t.IsOpenPosition);

    public IEnumerable<TradeRecord> GetPendingOrders(long? login = null) => Trades(login, static t => t.IsPendingOrder);

    public TradeRecord? GetOpenTrade(long ticket) => Read(ticket, static (v, t) => v._trades.GetValueOrDefault(t));

    public IEnumerable<SymbolConfig> GetSymbols() => Read(() => _symbols.Values.ToArray());

    public SymbolConfig? GetSymbol(string name) => Read(name, static (v, n) => v._symbols.Find(n));

    public Quote? GetQuote(string symbol, string? group = null)
    {
        if (!_quotes.TryGetValue(symbol, out var raw) || !raw.IsSet) return null;
        if (group is null) return raw;
        // The engine prices a group it does not know as raw; the pricing table does the same.
        return _pricing.ForGroup(group, symbol, raw);
    }

    public IEnumerable<SymbolGroupConfig> GetSymbolGroups() => Read(() => _symbolGroups.Values.ToArray());

    public IEnumerable<GroupConfig> GetGroups() => Read(() => _groups.Values.ToArray());

    public GroupConfig? GetGroup(string name) => Read(name, static (v, n) => v._groups.Find(n));

    public IEnumerable<DeskRecord> GetDesks() => Read(() => _desks.Values.ToArray());

    public IEnumerable<CustomerRecord> GetCustomers() => Read(() => _customers.Values.ToArray());

    public CustomerRecord? GetCustomer(long customerId) => Read(customerId, static (v, id) => v._customers.Find(id));

    /// <summary>The per-group pricing of the view's own symbols and groups (consistent with <see cref="Sequence"/>).</summary>
    public PricingTable Pricing => _pricing;

    private IEnumerable<TradeRecord> Trades(long? login, Func<TradeRecord, bool> filter) => Read(() =>
    {
        if (login is { } one)
        {
            return _tradesByLogin.TryGetValue(one, out var book) ? book.Values.Where(filter).ToArray() : [];
        }
        return _tradesByLogin.OrderBy(b => b.Key).SelectMany(b => b.Value.Values).Where(filter).ToArray();
    });

    /// <summary>
    /// A keyed read under the read lock with its key passed in: the per-command look-ups (scope, token, open trade)
    /// use static lambdas, so they allocate no closure (the gateway's allocation budget is checked by a test).
    /// </summary>
    private TResult Read<TArg, TResult>(TArg arg, Func<LiveView, TArg, TResult> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(this, arg);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void PutTrade(TradeRecord t)
    {
        var known = _trades.TryGetValue(t.Ticket, out var old);
        if (known && old!.Login != t.Login && _tradesByLogin.TryGetValue(old.Login, out var previous))
        {
            previous.Remove(t.Ticket);
        }
        // A tick's new profit keeps ticket, symbol and kind: the indexes are touched only when one of those moves.
        if (MovesIndex(known ? old : null, t)) IndexTrade(t, known ? old : null);
        ExposeTrade(known ? old : null, t);
        _trades[t.Ticket] = t;
        if (!_tradesByLogin.TryGetValue(t.Login, out var book)) _tradesByLogin[t.Login] = book = new SortedDictionary<long, TradeRecord>();
        book[t.Ticket] = t;
    }

    private void RemoveTrade(long ticket)
    {
        if (!_trades.Remove(ticket, out var old)) return;
        UnindexTrade(old);
        Unexpose(old);
        if (_tradesByLogin.TryGetValue(old.Login, out var book))
        {
            book.Remove(ticket);
            if (book.Count == 0) _tradesByLogin.Remove(old.Login);
        }
    }

    private void PutSymbol(SymbolConfig s)
    {
        if (_symbols.Find(s.Name) is { Source.Length: > 0 } old) _symbolBySource.Remove(old.Source);
        _symbols.Put(s.Name, s);
        if (s.Source.Length > 0) _symbolBySource[s.Source] = s.Name;
    }

    private void RebuildPricing() => _pricing = new PricingTable(_symbols.Values, _groups.Values);
}
