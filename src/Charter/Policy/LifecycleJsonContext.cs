// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Charter.Policy.Lifecycle;

namespace Charter.Policy;

/// <summary>Source-generated JSON for stored lifecycles and transitions (snake_case, enums as strings).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = new[] { typeof(SnakeCaseEnumConverter<EntityKind>), typeof(SnakeCaseEnumConverter<LifecycleState>), typeof(SnakeCaseEnumConverter<LifecycleEvent>),
        typeof(SnakeCaseEnumConverter<LifecycleHolds>) })]
[JsonSerializable(typeof(EntityLifecycle))]
[JsonSerializable(typeof(LifecycleTransition))]
internal sealed partial class LifecycleJsonContext : JsonSerializerContext
{
}
