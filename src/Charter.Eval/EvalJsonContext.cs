// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Charter.Eval.Client;
using Charter.Eval.Reporting;

namespace Charter.Eval;

/// <summary>Source-generated JSON metadata for every DTO the harness reads or writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ChatCompletionRequestDto))]
[JsonSerializable(typeof(ChatCompletionResponseDto))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(RunExport))]
[JsonSerializable(typeof(RunComparisonExport))]
[JsonSerializable(typeof(RunListExport))]
internal sealed partial class EvalJsonContext : JsonSerializerContext
{
}
