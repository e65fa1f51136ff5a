// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.Admin;

/// <summary>Source-generated JSON for <c>GET /admin/v1/eval/runs</c> (snake_case, as the rest of the admin API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ListDto<EvalRunSummary>))]
internal sealed partial class EvalRunsJsonContext : JsonSerializerContext
{
}
