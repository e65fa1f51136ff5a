// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>Outcome of an admin operation: a value, or an error with its HTTP status (expected failures as values).</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct AdminResult<T>(T? Value, int Status, string? Error)
{
    /// <summary>Whether it worked.</summary>
    public bool Ok => Error is null;

    /// <summary>A success.</summary>
    public static AdminResult<T> Success(T value) => new(value, 200, null);

    /// <summary>A failure.</summary>
    public static AdminResult<T> Fail(int status, string error) => new(default, status, error);
}
