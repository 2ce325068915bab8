using System.Collections.Concurrent;

namespace Dealwire.Feeds.Sources;

/// <summary>
/// Every source of the server by name: those configured up front (FIX counterparties, local feeds, feeders with a
/// set priority) and feeders that appear when their key first connects. /health and the metrics read it.
/// </summary>
public sealed class FeedSourceRegistry
{
    private readonly ConcurrentDictionary<string, FeedSource> _sources = new(StringComparer.Ordinal);

    /// <summary>The source named <paramref name="name"/>, created with <paramref name="priority"/> if it is new.</summary>
    public FeedSource GetOrAdd(string name, int priority) => _sources.GetOrAdd(name, static (n, p) => new FeedSource(n, p), priority);

    public FeedSource? Find(string name) => _sources.GetValueOrDefault(name);

    /// <summary>All sources, by priority then name.</summary>
    public IReadOnlyList<FeedSource> All => _sources.Values.OrderBy(s => s.Priority).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
}
