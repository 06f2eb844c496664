using System.Collections.Concurrent;

namespace RecoveryStudy.Data;

/// <summary>
/// A concurrent in-memory cache of immutable values made from a few distinct keys (wave texts,
/// sending rules, consent blocks, survey structures), emptied once it holds more than its limit: a
/// batch or a busy page asks for the same few hundreds of times, while a host running for years
/// meets new keys now and then.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int limit)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> entries = new();

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (entries.TryGetValue(key, out var value))
        {
            return value;
        }
        MakeRoom();
        return entries.GetOrAdd(key, create);
    }

    public bool TryGetValue(TKey key, out TValue value) => entries.TryGetValue(key, out value!);

    /// <summary>Stores a value made elsewhere (read from the database, say) under its key.</summary>
    public void Set(TKey key, TValue value)
    {
        MakeRoom();
        entries[key] = value;
    }

    private void MakeRoom()
    {
        if (entries.Count > limit)
        {
            entries.Clear();
        }
    }
}
