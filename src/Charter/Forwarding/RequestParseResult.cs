// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Errors;

namespace Charter.Forwarding;

/// <summary>Outcome of parsing a request body: either fine, or the error to return with its <c>param</c>.</summary>
public readonly record struct RequestParseResult(CharterError Error, string? Message, string? Param)
{
    /// <summary>A successful parse.</summary>
    public static RequestParseResult Ok => default;

    /// <summary>Whether the body is usable.</summary>
    public bool Success => Error == CharterError.None;
}
