// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Responses;

/// <summary>A translated response's <c>status</c>.</summary>
internal enum ResponseStatus
{
    /// <summary><c>in_progress</c> (the response of <c>response.created</c> and <c>response.in_progress</c>).</summary>
    InProgress,

    /// <summary><c>completed</c>.</summary>
    Completed,

    /// <summary><c>incomplete</c>, with <c>incomplete_details.reason</c>.</summary>
    Incomplete,
}
