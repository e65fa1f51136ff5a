// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Responses;

/// <summary>Why a Responses request cannot be served through chat completions: answered as an OpenAI-shaped 400
/// <c>invalid_request_error</c>.</summary>
/// <param name="Message">The error message for the client.</param>
/// <param name="Param">The request member at fault (OpenAI's <c>param</c>, e.g. <c>input[2]</c>), or null.</param>
public readonly record struct ResponsesTranslationError(string Message, string? Param);
