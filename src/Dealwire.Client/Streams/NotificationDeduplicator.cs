namespace Dealwire.Client;

/// <summary>
/// Remembers the last N notification tokens (oldest forgotten first) so a notification re-sent by the server —
/// typically after a reconnect — reaches the application once, as the official clients do.
/// </summary>
internal sealed class NotificationDeduplicator(int capacity)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>True the first time a token is seen; tokenless notifications always pass.</summary>
    public bool FirstSeen(string token)
    {
        if (token.Length == 0 || capacity == 0) return true;
        if (!_seen.Add(token)) return false;
        _order.Enqueue(token);
        if (_order.Count > capacity) _seen.Remove(_order.Dequeue());
        return true;
    }
}
