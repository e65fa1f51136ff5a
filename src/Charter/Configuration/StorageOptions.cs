// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Database location (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>SQLite file path, or a PostgreSQL URL/connection string. Default <c>charter.db</c>.</summary>
    public string Database { get; set; } = "charter.db";
}
