// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Charter.Accounting;

namespace Charter.Redis;

/// <summary>Source-generated JSON for the messages Charter.Redis puts on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChangeNotification))]
internal sealed partial class RedisJsonContext : JsonSerializerContext
{
}
