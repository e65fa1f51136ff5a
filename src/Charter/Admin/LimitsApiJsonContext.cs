// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.Admin;

/// <summary>Source-generated JSON for the limits admin endpoints (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LimitsUpdateRequest))]
[JsonSerializable(typeof(SubjectLimitsDto))]
public sealed partial class LimitsApiJsonContext : JsonSerializerContext
{
}
