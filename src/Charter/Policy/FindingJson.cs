// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Charter.Policy;

/// <summary>Source-generated JSON for finding details in the journal.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class FindingJson : JsonSerializerContext
{
}
