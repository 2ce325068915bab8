namespace Dealwire.ReadModel.Live;

/// <summary>
/// Configuration records by key, listed in the order they were first added, as the engine lists them (an
/// update keeps its place). Not thread-safe: the view guards it with its lock.
/// </summary>
internal sealed class OrderedConfig<TKey, TValue>(IEqualityComparer<TKey> comparer) where TKey : notnull where TValue : class
{
    private readonly Dictionary<TKey, int> _index = new(comparer);
    private readonly List<TValue?> _values = new();
    private int _count;

    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var v in _values)
            {
                if (v is not null) yield return v;
            }
        }
    }

    public int Count => _count;

    public TValue? Find(TKey key) => _index.TryGetValue(key, out var i) ? _values[i] : null;

    public void Put(TKey key, TValue value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            _values[i] = value;
            return;
        }
        _index[key] = _values.Count;
        _values.Add(value);
        _count++;
    }

    public void Remove(TKey key)
    {
        if (!_index.Remove(key, out var i)) return;
        _values[i] = null;
        _count--;
        // Compact once holes dominate, so a long life of adds and deletes does not grow the list.
        if (_values.Count > 32 && _count < _values.Count / 2) Compact();
    }

    public void Clear()
    {
        _index.Clear();
        _values.Clear();
        _count = 0;
    }

    private void Compact()
    {
        var keys = _index.OrderBy(p => p.Value).Select(p => p.Key).ToList();
        var values = _values.Where(v => v is not null).ToList();
        _values.Clear();
        _index.Clear();
        for (var i = 0; i < keys.Count; i++)
        {
            _index[keys[i]] = i;
            _values.Add(values[i]);
        }
    }
}
