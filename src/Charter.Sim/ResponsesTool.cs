// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>One function tool of a Responses request, kept to echo it in the response's <c>tools</c>.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Description">The description, or null.</param>
/// <param name="Parameters">The raw JSON of <c>parameters</c> (an object), or null.</param>
/// <param name="Strict">The <c>strict</c> flag as sent, or null (echoed as <c>true</c>, the Responses API default).</param>
internal readonly record struct ResponsesTool(string Name, string? Description, byte[]? Parameters, bool? Strict);
