// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>A Responses API answer kept as a provider keeps it (<c>store</c> not false): its final JSON and its input.</summary>
/// <param name="Id">The response id (<c>resp_…</c>).</param>
/// <param name="Json">The final <c>Response</c> object, UTF-8 JSON exactly as the whole answer (or <c>response.completed</c>) carried it.</param>
/// <param name="Input">The request's <c>input</c> value, raw UTF-8 JSON (a string or an array of items), for <c>input_items</c>.</param>
internal sealed record StoredResponse(string Id, byte[] Json, byte[] Input)
{
    /// <summary>Bytes held (both JSON documents), counted against the store's budget.</summary>
    public long Size => Json.Length + Input.Length;
}
