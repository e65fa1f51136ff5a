// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Charter.Audit.Http;

/// <summary>Source-generated JSON for the audit API (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PublicKeyResponse))]
[JsonSerializable(typeof(InclusionProofResponse))]
[JsonSerializable(typeof(ConsistencyProofResponse))]
[JsonSerializable(typeof(EntriesResponse))]
[JsonSerializable(typeof(AuditErrorResponse))]
[JsonSerializable(typeof(AuditStatusResponse))]
internal sealed partial class AuditJsonContext : JsonSerializerContext
{
    /// <summary>Same contract with only JSON's mandatory escapes, so leaf text stays readable.</summary>
    public static AuditJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
