// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.Admin;

/// <summary>Source-generated JSON for the lifecycle admin endpoints (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LifecycleTransitionRequest))]
[JsonSerializable(typeof(LifecycleTransitionDto))]
[JsonSerializable(typeof(LifecycleHistoryDto))]
[JsonSerializable(typeof(LifecycleEntityDto))]
[JsonSerializable(typeof(LifecycleErrorDto))]
public sealed partial class LifecycleApiJsonContext : JsonSerializerContext
{
}
