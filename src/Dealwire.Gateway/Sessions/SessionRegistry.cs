using System.Collections.Concurrent;

namespace Dealwire.Gateway.Sessions;

/// <summary>
/// Every open session of one listener, and the event router: sessions indexed by the login they trade
/// (traders) and by the groups their mask covers (staff), so an event of one account reaches its
/// audience in O(audience), not by a scan of every session. Readers (fan-out threads) do not lock on the
/// hot path: they read immutable snapshots that are replaced on change; changes (connect, close, a new
/// identity) serialize on one lock and cost O(1); what readers use is rebuilt when first read after a change.
/// </summary>
/// <remarks>
/// The group index is built on demand, for the groups events actually name: the first event of a group
/// after a staff session joined, left or changed its mask matches that group against every staff
/// session's mask once and caches the result. So new groups need no notification (an unseen group is
/// computed when first named), a deleted group just stops being asked for, and a mask pattern like
/// <c>demo*</c> costs one match per staff session per group per change of the staff list, instead of one
/// per session per event. A storm of connects costs no group matching at all: nothing is computed until
/// an event asks.
/// </remarks>
public class SessionRegistry<TSession> where TSession : class
{
    private readonly object _gate = new();
    private readonly Dictionary<TSession, Audience?> _sessions = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<long, TSession[]> _byLogin = new();
    // Staff and administrators; the view readers use is derived from it when first read after a change, so a
    // storm of staff connects costs one dictionary insert each, not a copy of the whole list each.
    private readonly Dictionary<TSession, Audience> _staffSessions = new(ReferenceEqualityComparer.Instance);
    private StaffView? _staff;
    private TSession[]? _routed;
    private int _count;

    /// <summary>Open sessions, routed or not.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Sessions with an audience (identified): the recipients of broadcasts.</summary>
    public TSession[] Routed
    {
        get
        {
            if (Volatile.Read(ref _routed) is { } routed) return routed;
            lock (_gate)
            {
                // Built when first read after a change: connects and closes do not copy the whole list each.
                return _routed ??= _sessions.Where(s => s.Value is not null).Select(s => s.Key).ToArray();
            }
        }
    }

    /// <summary>Every open session, routed or not: a copy, for listings (the console's online sessions), not for fan-out.</summary>
    public TSession[] All
    {
        get
        {
            lock (_gate) return _sessions.Keys.ToArray();
        }
    }

    /// <summary>Staff and administrator sessions (desk-wide notices).</summary>
    public TSession[] Staff => CurrentStaff.All;

    private StaffView CurrentStaff
    {
        get
        {
            if (Volatile.Read(ref _staff) is { } view) return view;
            lock (_gate) return _staff ??= new StaffView(_staffSessions.Select(e => (e.Key, e.Value)).ToArray());
        }
    }

    /// <summary>Adds a session unless <paramref name="maxSessions"/> are open; it receives nothing until <see cref="Route"/>.</summary>
    public bool TryAdd(TSession session, int maxSessions = int.MaxValue)
    {
        lock (_gate)
        {
            if (_sessions.Count >= maxSessions || !_sessions.TryAdd(session, null)) return false;
            Volatile.Write(ref _count, _sessions.Count);
            return true;
        }
    }

    public void Remove(TSession session)
    {
        lock (_gate)
        {
            if (!_sessions.Remove(session, out var audience)) return;
            Unindex(session, audience);
            Volatile.Write(ref _count, _sessions.Count);
        }
    }

    /// <summary>
    /// Sets whose events <paramref name="session"/> receives (null: none, e.g. access ended). Cheap when the
    /// audience did not change; a session not (or no longer) registered is ignored.
    /// </summary>
    public void Route(TSession session, Audience? audience)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(session, out var current)) return;
            if (audience is null ? current is null : audience.SameAs(current)) return;
            Unindex(session, current);
            _sessions[session] = audience;
            if (audience is null) return;
            Volatile.Write(ref _routed, null);
            switch (audience.Kind)
            {
                case AudienceKind.Trader:
                    _byLogin.AddOrUpdate(audience.Id, static (_, s) => [s], static (_, list, s) => [.. list, s], session);
                    break;
                case AudienceKind.Staff or AudienceKind.Administrator:
                    _staffSessions[session] = audience;
                    Volatile.Write(ref _staff, null);
                    break;
            }
        }
    }

    /// <summary>Trader sessions of <paramref name="login"/>.</summary>
    public TSession[] TradersOf(long login) => _byLogin.TryGetValue(login, out var list) ? list : [];

    /// <summary>Staff sessions whose mask covers <paramref name="group"/> (administrators always; null: an unknown group, administrators only).</summary>
    public TSession[] StaffOf(string? group) => CurrentStaff.Of(group);

    private void Unindex(TSession session, Audience? audience)
    {
        if (audience is null) return;
        Volatile.Write(ref _routed, null);
        switch (audience.Kind)
        {
            case AudienceKind.Trader when _byLogin.TryGetValue(audience.Id, out var list):
                var rest = CopyOnWrite.Without(list, session);
                if (rest.Length == 0) _byLogin.TryRemove(audience.Id, out _);
                else _byLogin[audience.Id] = rest;
                break;
            case AudienceKind.Staff or AudienceKind.Administrator:
                if (_staffSessions.Remove(session)) Volatile.Write(ref _staff, null);
                break;
        }
    }

    /// <summary>
    /// One immutable staff list and what is derived from it, computed when first asked: replacing the view is
    /// the whole invalidation, and readers never see a list and an index of two different moments.
    /// </summary>
    private sealed class StaffView((TSession Session, Audience Audience)[] entries)
    {
        private readonly ConcurrentDictionary<string, TSession[]> _byGroup = new(StringComparer.Ordinal);
        private TSession[]? _all;
        private TSession[]? _administrators;

        public (TSession Session, Audience Audience)[] Entries { get; } = entries;

        public TSession[] All => _all ??= Array.ConvertAll(Entries, e => e.Session);

        public TSession[] Of(string? group)
        {
            if (group is null)
            {
                return _administrators ??= Entries.Where(e => e.Audience.Kind == AudienceKind.Administrator).Select(e => e.Session).ToArray();
            }
            if (_byGroup.TryGetValue(group, out var list)) return list;
            list = Entries.Where(e => e.Audience.Covers(group)).Select(e => e.Session).ToArray();
            _byGroup.TryAdd(group, list);
            return list;
        }
    }
}
