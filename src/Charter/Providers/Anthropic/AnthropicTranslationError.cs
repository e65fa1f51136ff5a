// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>Why a request cannot be translated: answered as an OpenAI-shaped 400 <c>invalid_request_error</c>.</summary>
/// <param name="Message">The error message for the client.</param>
/// <param name="Param">The request member at fault (OpenAI's <c>param</c>), or null.</param>
public readonly record struct AnthropicTranslationError(string Message, string? Param);
