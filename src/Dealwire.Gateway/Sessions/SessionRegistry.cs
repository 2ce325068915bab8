using System.Collections.Concurrent;

namespace Dealwire.Gateway.Sessions;

/// <summary>
/// Every open session of one listener, and the event router: sessions indexed by the login they trade
/// (traders) and by the groups their mask covers (staff), so an event of one account reaches its
/// audience in O(audience), not by a scan of every session. Readers (fan-out threads) never lock: they
/// read arrays that are replaced on change, never mutated; changes (connect, close, a new identity)
/// serialize on one lock.
/// </summary>
/// <remarks>
/// The group index is built on demand, for the groups events actually name: the first event of a group
/// after a staff session joined, left or changed its mask matches that group against every staff
/// session's mask once (staff sessions are few: managers and dealers, not traders) and caches the
/// result. So new groups need no notification (an unseen group is computed when first named), a
/// deleted group just stops being asked for, and a mask pattern like <c>demo*</c> costs one match per
/// staff session per group per change of the staff list, instead of one per session per event.
/// </remarks>
public class SessionRegistry<TSession> where TSession : class
{
    private readonly object _gate = new();
    private readonly Dictionary<TSession, Audience?> _sessions = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<long, TSession[]> _byLogin = new();
    private TSession[] _staff = [];
    // Written before _staff and the group cache; matched by readers that compute a group's staff.
    private (TSession Session, Audience Audience)[] _staffEntries = [];
    private TSession[] _routed = [];
    private ConcurrentDictionary<string, TSession[]> _byGroup = new(StringComparer.Ordinal);
    private TSession[] _unknownGroup = [];
    private int _count;

    /// <summary>Open sessions, routed or not.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Sessions with an audience (identified): the recipients of broadcasts.</summary>
    public TSession[] Routed => Volatile.Read(ref _routed);

    /// <summary>Staff and administrator sessions (desk-wide notices).</summary>
    public TSession[] Staff => Volatile.Read(ref _staff);

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
            Volatile.Write(ref _routed, [.. _routed, session]);
            if (audience.Kind == AudienceKind.Trader)
            {
                _byLogin.AddOrUpdate(audience.Id, static (_, s) => [s], static (_, list, s) => [.. list, s], session);
            }
            else if (audience.Kind != AudienceKind.BroadcastsOnly)
            {
                Volatile.Write(ref _staffEntries, [.. _staffEntries, (session, audience)]);
                StaffChanged();
            }
        }
    }

    /// <summary>Trader sessions of <paramref name="login"/>.</summary>
    public TSession[] TradersOf(long login) => _byLogin.TryGetValue(login, out var list) ? list : [];

    /// <summary>Staff sessions whose mask covers <paramref name="group"/> (administrators always; null: an unknown group, administrators only).</summary>
    public TSession[] StaffOf(string? group)
    {
        if (group is null) return Volatile.Read(ref _unknownGroup);
        // Cache first, staff list second: a writer publishes the staff list before a fresh cache.
        var cache = Volatile.Read(ref _byGroup);
        if (cache.TryGetValue(group, out var list)) return list;
        var matched = new List<TSession>();
        foreach (var (session, audience) in Volatile.Read(ref _staffEntries))
        {
            if (audience.Covers(group)) matched.Add(session);
        }
        list = matched.ToArray();
        cache.TryAdd(group, list);
        return list;
    }

    private void Unindex(TSession session, Audience? audience)
    {
        if (audience is null) return;
        Volatile.Write(ref _routed, CopyOnWrite.Without(_routed, session));
        if (audience.Kind == AudienceKind.Trader)
        {
            if (_byLogin.TryGetValue(audience.Id, out var list))
            {
                var rest = CopyOnWrite.Without(list, session);
                if (rest.Length == 0) _byLogin.TryRemove(audience.Id, out _);
                else _byLogin[audience.Id] = rest;
            }
            return;
        }
        if (audience.Kind == AudienceKind.BroadcastsOnly) return;
        var index = Array.FindIndex(_staffEntries, e => ReferenceEquals(e.Session, session));
        if (index < 0) return;
        Volatile.Write(ref _staffEntries, CopyOnWrite.RemoveAt(_staffEntries, index));
        StaffChanged();
    }

    /// <summary>The staff list changed: every cached group is recomputed when next named.</summary>
    private void StaffChanged()
    {
        var entries = _staffEntries;
        Volatile.Write(ref _staff, Array.ConvertAll(entries, e => e.Session));
        Volatile.Write(ref _unknownGroup, entries.Where(e => e.Audience.Kind == AudienceKind.Administrator).Select(e => e.Session).ToArray());
        Volatile.Write(ref _byGroup, new ConcurrentDictionary<string, TSession[]>(StringComparer.Ordinal));
    }
}
