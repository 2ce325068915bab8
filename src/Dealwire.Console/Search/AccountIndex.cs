using System.Globalization;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;

namespace Dealwire.WebConsole.Search;

/// <summary>
/// The accounts list's search index, so a request does not scan and sort every account: entries in login order, per
/// group the entry ids in login order, the logins' text in ordinal order (a login prefix is one binary search), and a
/// trigram index over name and e-mail (a "contains" query intersects posting lists, then checks the few candidates).
/// </summary>
/// <remarks>
/// Rebuilt — once, by the first request that needs it — when the live view has applied an <see cref="AccountEvent"/>
/// since the last build (an account added, changed, moved or deleted), not per request: balances and equity move with
/// every tick, but the list reads those for its one page of rows from the live view. A query of one or two characters
/// has no trigram: it checks the prepared lower-case texts (no allocation per entry).
/// </remarks>
public sealed class AccountIndex : ILiveObserver
{
    private readonly ILiveView _view;
    private readonly object _buildGate = new();
    private long _generation = 1;
    private long _observedSequence;
    private volatile Snapshot? _snapshot;

    public AccountIndex(ILiveView view)
    {
        _view = view;
        _observedSequence = view.Sequence;
        view.AddObserver(this);
    }

    public void OnApplied(CommittedBatch batch, IReadOnlyList<EngineEvent> events)
    {
        foreach (var e in events)
        {
            if (e is not AccountEvent) continue;
            Interlocked.Increment(ref _generation);
            break;
        }
        Volatile.Write(ref _observedSequence, batch.LastSequence);
    }

    /// <summary>
    /// The matches of a search, in login order: how many, and the logins of rows [<paramref name="skip"/>,
    /// <paramref name="skip"/> + <paramref name="take"/>). <paramref name="visible"/> says which groups the session sees.
    /// </summary>
    public (int Total, IReadOnlyList<long> Logins) Search(string query, string group, Func<string, bool> visible, int skip, int take)
    {
        var s = Current();
        var groups = s.Groups.Where(g => visible(g.Key) && (group.Length == 0 || string.Equals(g.Key, group, StringComparison.Ordinal))).Select(g => g.Value).ToList();
        if (query.Length == 0)
        {
            if (groups.Count == s.Groups.Count) return (s.Entries.Length, Slice(s.Entries, skip, take));
            return (groups.Sum(g => g.Length), Merge(s, groups, skip, take));
        }
        var allowed = new HashSet<int[]>(groups);
        var matches = Matches(s, query.ToLowerInvariant(), query).Where(id => allowed.Contains(s.Groups[s.Entries[id].Group])).ToList();
        return (matches.Count, matches.Skip(skip).Take(take).Select(id => s.Entries[id].Login).ToList());
    }

    /// <summary>
    /// Every account's group by login, as the live view shows now: the positions and exposure screens look a position's
    /// group up here (one dictionary read) rather than through the view's lock once per position.
    /// </summary>
    public IReadOnlyDictionary<long, string> GroupsByLogin() => Current().GroupByLogin;

    /// <summary>Entry ids (ascending) whose login starts with the query, or whose name or e-mail contains it.</summary>
    private static IEnumerable<int> Matches(Snapshot s, string lower, string query)
    {
        var found = new SortedSet<int>();
        if (query.All(char.IsAsciiDigit))
        {
            var at = LowerBound(s, query);
            for (var i = at; i < s.ByLoginText.Length && s.Entries[s.ByLoginText[i]].LoginText.StartsWith(query, StringComparison.Ordinal); i++) found.Add(s.ByLoginText[i]);
        }
        if (lower.Length < 3)
        {
            for (var id = 0; id < s.Entries.Length; id++)
            {
                if (s.Entries[id].Name.Contains(lower, StringComparison.Ordinal) || s.Entries[id].Email.Contains(lower, StringComparison.Ordinal)) found.Add(id);
            }
            return found;
        }
        int[]? candidates = null;
        for (var i = 0; i + 3 <= lower.Length; i++)
        {
            if (!s.Trigrams.TryGetValue(Key(lower, i), out var posting)) return found;
            candidates = candidates is null ? posting : Intersect(candidates, posting);
            if (candidates.Length == 0) return found;
        }
        foreach (var id in candidates!)
        {
            if (s.Entries[id].Name.Contains(lower, StringComparison.Ordinal) || s.Entries[id].Email.Contains(lower, StringComparison.Ordinal)) found.Add(id);
        }
        return found;
    }

    private Snapshot Current()
    {
        // The view releases a command's waiters just before it calls its observers: a request that follows its own
        // command may arrive in between. Wait (briefly) until this observer has seen the batch the view shows.
        var shown = _view.Sequence;
        var spin = new SpinWait();
        var deadline = Environment.TickCount64 + 200;
        while (Volatile.Read(ref _observedSequence) < shown && Environment.TickCount64 < deadline) spin.SpinOnce();

        var generation = Interlocked.Read(ref _generation);
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Generation == generation) return snapshot;
        lock (_buildGate)
        {
            generation = Interlocked.Read(ref _generation);
            snapshot = _snapshot;
            if (snapshot is not null && snapshot.Generation == generation) return snapshot;
            // Built from the generation read before the accounts: a change meanwhile leaves it stale and the next request rebuilds.
            _snapshot = snapshot = Build(_view.GetAccounts(GroupMask.All), generation);
            return snapshot;
        }
    }

    private static Snapshot Build(IEnumerable<AccountSnapshot> accounts, long generation)
    {
        var entries = accounts.Select(a => a.Profile).OrderBy(p => p.Login)
            .Select(p => new Entry(p.Login, p.Login.ToString(CultureInfo.InvariantCulture), p.Group, p.Name.ToLowerInvariant(), p.Email.ToLowerInvariant()))
            .ToArray();
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var trigrams = new Dictionary<ulong, List<int>>();
        for (var id = 0; id < entries.Length; id++)
        {
            var e = entries[id];
            if (!groups.TryGetValue(e.Group, out var members)) groups[e.Group] = members = [];
            members.Add(id);
            AddTrigrams(trigrams, e.Name, id);
            AddTrigrams(trigrams, e.Email, id);
        }
        var byLoginText = Enumerable.Range(0, entries.Length).OrderBy(i => entries[i].LoginText, StringComparer.Ordinal).ToArray();
        return new Snapshot(generation, entries, groups.ToDictionary(g => g.Key, g => g.Value.ToArray(), StringComparer.Ordinal),
            byLoginText, trigrams.ToDictionary(t => t.Key, t => t.Value.ToArray()), entries.ToDictionary(e => e.Login, e => e.Group));
    }

    private static void AddTrigrams(Dictionary<ulong, List<int>> trigrams, string text, int id)
    {
        for (var i = 0; i + 3 <= text.Length; i++)
        {
            var key = Key(text, i);
            if (!trigrams.TryGetValue(key, out var posting)) trigrams[key] = posting = [];
            // Ids arrive in ascending order; a trigram twice in one entry is listed once.
            if (posting.Count == 0 || posting[^1] != id) posting.Add(id);
        }
    }

    private static ulong Key(string text, int at) => ((ulong)text[at] << 32) | ((ulong)text[at + 1] << 16) | text[at + 2];

    private static int[] Intersect(int[] a, int[] b)
    {
        var result = new List<int>(Math.Min(a.Length, b.Length));
        for (int i = 0, j = 0; i < a.Length && j < b.Length;)
        {
            if (a[i] == b[j])
            {
                result.Add(a[i]);
                i++;
                j++;
            }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return result.ToArray();
    }

    private static int LowerBound(Snapshot s, string prefix)
    {
        int lo = 0, hi = s.ByLoginText.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(s.Entries[s.ByLoginText[mid]].LoginText, prefix) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static IReadOnlyList<long> Slice(Entry[] entries, int skip, int take)
    {
        var logins = new List<long>(Math.Max(0, Math.Min(take, entries.Length - skip)));
        for (var i = skip; i < entries.Length && i < skip + take; i++) logins.Add(entries[i].Login);
        return logins;
    }

    /// <summary>Rows [skip, skip + take) of several groups' id lists in login order: a k-way merge that stops at the page's end.</summary>
    private static IReadOnlyList<long> Merge(Snapshot s, List<int[]> groups, int skip, int take)
    {
        var heap = new PriorityQueue<(int[] List, int At), int>();
        foreach (var g in groups) if (g.Length > 0) heap.Enqueue((g, 0), g[0]);
        var logins = new List<long>(take);
        for (var row = 0; row < skip + take && heap.TryDequeue(out var next, out var id); row++)
        {
            if (row >= skip) logins.Add(s.Entries[id].Login);
            if (next.At + 1 < next.List.Length) heap.Enqueue((next.List, next.At + 1), next.List[next.At + 1]);
        }
        return logins;
    }

    private sealed record Entry(long Login, string LoginText, string Group, string Name, string Email);

    private sealed record Snapshot(long Generation, Entry[] Entries, Dictionary<string, int[]> Groups, int[] ByLoginText, Dictionary<ulong, int[]> Trigrams,
        Dictionary<long, string> GroupByLogin);
}
