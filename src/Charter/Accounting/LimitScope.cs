// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Whose limit a decision refers to.</summary>
public enum LimitScope
{
    /// <summary>The API key's own limits.</summary>
    Key = 0,

    /// <summary>The limits of the team that owns the key.</summary>
    Team = 1,
}
