namespace Dealwire.ManagerApi.Session;

/// <summary>
/// Results of trading commands by (manager, command, <c>process_id</c>), so a retried command returns
/// its first result instead of trading twice. Bounded (oldest forgotten first) and in memory: the
/// engine's trade commands carry no idempotency key yet (docs/manager-api.md, "Idempotency").
/// </summary>
public sealed class ProcessReplies(int capacity = 50_000)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, object> _results = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool TryGet(string key, out object result)
    {
        lock (_gate) return _results.TryGetValue(key, out result!);
    }

    public void Add(string key, object result)
    {
        lock (_gate)
        {
            if (!_results.TryAdd(key, result)) return;
            _order.Enqueue(key);
            while (_order.Count > capacity) _results.Remove(_order.Dequeue());
        }
    }
}
