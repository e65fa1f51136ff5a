// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Providers.Anthropic;

/// <summary>Where the value of the member the reader stands on goes in <paramref name="fields"/>; <paramref name="known"/>
/// false for a member that is not read (the returned reference is then a scratch slot).</summary>
/// <typeparam name="T">The struct of slices being filled.</typeparam>
internal delegate ref JsonSlice MemberTarget<T>(ref Utf8JsonReader reader, ref T fields, out bool known);
