// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Charter.Audit.Export;

/// <summary>Source-generated JSON for bundle files (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(BundleEntry))]
[JsonSerializable(typeof(List<BundleConsistency>))]
[JsonSerializable(typeof(AuditSummary))]
internal sealed partial class BundleJsonContext : JsonSerializerContext
{
    /// <summary>Same contract, but only JSON's mandatory escapes, so leaf text in entries.jsonl stays readable.</summary>
    public static BundleJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
