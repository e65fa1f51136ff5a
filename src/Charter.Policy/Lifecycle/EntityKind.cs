// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>The kinds of entity that have a lifecycle.</summary>
public enum EntityKind : byte
{
    /// <summary>A Charter API key.</summary>
    Key = 0,

    /// <summary>A team (owns keys).</summary>
    Team = 1,

    /// <summary>An upstream provider account.</summary>
    Account = 2,
}
