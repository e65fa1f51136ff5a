// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Charter.Policy.Lifecycle;

namespace Charter.Storage.Postgres;

/// <summary>Source-generated JSON for stored lifecycles and transitions (snake_case, enums as strings; the form the SQLite store writes).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EntityLifecycle))]
[JsonSerializable(typeof(LifecycleTransition))]
internal sealed partial class PostgresLifecycleJsonContext : JsonSerializerContext
{
}
