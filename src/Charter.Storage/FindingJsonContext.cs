// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Charter.Detection;

namespace Charter.Storage;

/// <summary>Source-generated JSON for stored findings.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FindingRecord))]
[JsonSerializable(typeof(List<FindingRecord>))]
public sealed partial class FindingJsonContext : JsonSerializerContext
{
}
