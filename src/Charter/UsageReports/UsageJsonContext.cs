// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.UsageReports;

/// <summary>Source-generated JSON for usage reports (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(UsageReportDto))]
public sealed partial class UsageJsonContext : JsonSerializerContext
{
}
