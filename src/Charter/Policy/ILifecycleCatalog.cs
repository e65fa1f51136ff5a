// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Lifecycle;

namespace Charter.Policy;

/// <summary>A lifecycle store that can also list every stored lifecycle (for the gateway's in-memory cache).</summary>
public interface ILifecycleCatalog : ILifecycleStore
{
    /// <summary>Every entity with a stored lifecycle.</summary>
    public ValueTask<IReadOnlyList<EntityLifecycle>> ListAllAsync(CancellationToken cancellationToken = default);
}
