// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What kind of thing changed.</summary>
public enum ChangeEntity
{
    /// <summary>An API key.</summary>
    Key = 0,

    /// <summary>A team.</summary>
    Team = 1,

    /// <summary>An upstream provider account.</summary>
    ProviderAccount = 2,

    /// <summary>The policy documents.</summary>
    Policy = 3,

    /// <summary>Everything: drop every cache (sent after the bus reconnects, since messages may have been missed).</summary>
    All = 4,

    /// <summary>An admin key (revoked).</summary>
    AdminKey = 5,
}
