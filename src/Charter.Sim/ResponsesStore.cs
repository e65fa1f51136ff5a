// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>The stored Responses API answers, by id; bounded (count and bytes; the oldest go first) and thread-safe.</summary>
/// <remarks>One lock guards a dictionary and a list in insertion order; every operation is O(1). Only the Responses route
/// and its stored-response routes touch it, so the chat path pays nothing.</remarks>
internal sealed class ResponsesStore
{
    /// <summary>Responses kept at most before the oldest are dropped.</summary>
    public const int DefaultMaxCount = 10_000;

    /// <summary>Bytes (responses and inputs) kept at most before the oldest are dropped: 256 MiB.</summary>
    public const long DefaultMaxBytes = 256L << 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<StoredResponse>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredResponse> _order = new();
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private long _bytes;

    public ResponsesStore(int maxCount, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxCount = maxCount;
        _maxBytes = maxBytes;
    }

    /// <summary>Responses held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="response"/> (replacing one of the same id), then drops the oldest while over a bound.</summary>
    public void Add(StoredResponse response)
    {
        lock (_lock)
        {
            RemoveLocked(response.Id);
            _byId[response.Id] = _order.AddLast(response);
            _bytes += response.Size;
            while (_byId.Count > _maxCount || (_bytes > _maxBytes && _order.Count > 1))
            {
                RemoveLocked(_order.First!.Value.Id);
            }
        }
    }

    /// <summary>The stored response <paramref name="id"/>, or null.</summary>
    public StoredResponse? Get(string id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var node) ? node.Value : null;
        }
    }

    /// <summary>Forgets response <paramref name="id"/>; false when it was not stored.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            return RemoveLocked(id);
        }
    }

    /// <summary>Forgets every response.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _byId.Clear();
            _order.Clear();
            _bytes = 0;
        }
    }

    private bool RemoveLocked(string id)
    {
        if (!_byId.Remove(id, out var node))
        {
            return false;
        }

        _order.Remove(node);
        _bytes -= node.Value.Size;
        return true;
    }
}
