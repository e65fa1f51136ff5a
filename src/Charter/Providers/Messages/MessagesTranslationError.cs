// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Messages;

/// <summary>Why a Messages request cannot be served through chat completions: answered as Anthropic's 400
/// <c>invalid_request_error</c>.</summary>
/// <param name="Message">The error message for the client.</param>
/// <param name="Param">The request member at fault (e.g. <c>messages[2].content[0].type</c>), or null.</param>
public readonly record struct MessagesTranslationError(string Message, string? Param);
