using System.Collections.Concurrent;

namespace RecoveryStudy.Mail;

/// <summary>
/// A concurrent cache of immutable values made from a few distinct keys (wave texts, sending
/// rules), emptied once it holds more than its limit: a batch sends the same few hundreds of
/// times, while a host running for years meets new keys now and then.
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
        if (entries.Count > limit)
        {
            entries.Clear();
        }
        return entries.GetOrAdd(key, create);
    }
}
