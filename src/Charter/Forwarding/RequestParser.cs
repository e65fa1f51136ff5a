// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.Unicode;
using Charter.Errors;

namespace Charter.Forwarding;

/// <summary>Validates and reads chat, embeddings, Responses, legacy completions, moderations and Anthropic Messages bodies in one forward pass of
/// <see cref="Utf8JsonReader"/>.</summary>
/// <remarks>Only top-level fields are type-checked; nested content passes through untouched to the upstream,
/// which stays the authority on everything Charter does not need to decide. A field Charter reads (the model, the
/// messages or input, the parameters its policy limits) may appear only once, so that the gateway and the upstream
/// cannot read the same body two ways.</remarks>
public static class RequestParser
{
    /// <summary>Parses a <c>/v1/chat/completions</c> body.</summary>
    public static RequestParseResult ParseChat(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Chat, out request);

    /// <summary>Parses a <c>/v1/embeddings</c> body.</summary>
    public static RequestParseResult ParseEmbeddings(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Embeddings, out request);

    /// <summary>Parses a <c>/v1/responses</c> body (OpenAI's Responses API).</summary>
    /// <remarks><c>input</c> takes the place of the messages (its bounds, hash and size); <c>instructions</c> counts toward
    /// the prompt; <c>max_output_tokens</c> is the output allowance; log probabilities are asked for by
    /// <c>include: ["message.output_text.logprobs"]</c> or a <c>top_logprobs</c> above 0, and the policy sees either as
    /// <c>logprobs</c>. Chat-only parameters (<c>n</c>, <c>logprobs</c>, <c>logit_bias</c>, …) are not read: the upstream
    /// refuses them as unknown. <c>previous_response_id</c> is read, for the handler to check whose response it is.
    /// Refused here: <c>background: true</c> (a background response is finished and billed after the request has ended, where
    /// Charter could neither record its usage nor hold it to the limits) and <c>conversation</c> (made around the gateway).</remarks>
    public static RequestParseResult ParseResponses(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Responses, out request);

    /// <summary>Parses a <c>/v1/completions</c> body (the legacy text completions).</summary>
    /// <remarks><c>prompt</c> (a string, strings, token ids, or arrays of token ids) takes the place of the messages.
    /// <c>logprobs</c> is an integer here (0-5: that many alternatives per token), which the policy sees as <c>logprobs</c>
    /// with as many <c>top_logprobs</c>. <c>best_of</c> candidates are generated and billed though only <c>n</c> return, so the
    /// policy and the limits count the larger of the two as <c>n</c>. An absent <c>max_tokens</c> is the API's default of 16,
    /// and 0 is allowed (with <c>echo</c>, to score a prompt without generating).</remarks>
    public static RequestParseResult ParseCompletions(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Completions, out request);

    /// <summary>Parses a <c>/v1/moderations</c> body.</summary>
    /// <remarks><c>input</c> (a string, strings, or text and image parts) is read as for embeddings. <c>model</c> may be absent:
    /// the API then uses <see cref="DefaultModerationModel"/>, the name the route is resolved by (the body is sent without it
    /// unless the route names another upstream model).</remarks>
    public static RequestParseResult ParseModerations(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Moderations, out request);

    /// <summary>Parses a <c>/v1/messages</c> body (Anthropic's Messages API).</summary>
    /// <remarks><c>messages</c> is read as for chat (each an object with a string <c>role</c>; <c>content</c> a string or blocks);
    /// <c>system</c> (a string or text blocks) counts toward the prompt; <c>max_tokens</c> is required, as Anthropic requires it;
    /// <c>temperature</c> is from 0 to 1. OpenAI-only parameters (<c>n</c>, <c>logprobs</c>, <c>top_logprobs</c>,
    /// <c>logit_bias</c>, <c>max_completion_tokens</c>, <c>stream_options</c>) are not read, so they cannot loosen a policy
    /// decision; Anthropic refuses them, and the translation to chat drops them.</remarks>
    public static RequestParseResult ParseMessages(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.Messages, out request);

    /// <summary>Parses a <c>/v1/messages/count_tokens</c> body: a Messages body without <c>max_tokens</c> (nothing is generated).</summary>
    public static RequestParseResult ParseCountTokens(ReadOnlySpan<byte> body, out ParsedRequest request) => Parse(body, Kind.CountTokens, out request);

    /// <summary>The model the Moderations API uses when the request names none.</summary>
    public const string DefaultModerationModel = "omni-moderation-latest";

    /// <summary>Parses a body of <paramref name="endpoint"/> (<c>chat.completions</c>, <c>embeddings</c>, <c>responses</c>, <c>completions</c>,
    /// <c>moderations</c>, <c>messages</c>, <c>messages.count_tokens</c>).</summary>
    public static RequestParseResult ParseFor(string? endpoint, ReadOnlySpan<byte> body, out ParsedRequest request) => endpoint switch
    {
        "embeddings" => ParseEmbeddings(body, out request),
        "responses" => ParseResponses(body, out request),
        "completions" => ParseCompletions(body, out request),
        "moderations" => ParseModerations(body, out request),
        "messages" => ParseMessages(body, out request),
        "messages.count_tokens" => ParseCountTokens(body, out request),
        _ => ParseChat(body, out request),
    };

    private static RequestParseResult Parse(ReadOnlySpan<byte> body, Kind kind, out ParsedRequest request)
    {
        var messages = kind is Kind.Messages or Kind.CountTokens;
        var chat = kind == Kind.Chat || messages;
        var responses = kind == Kind.Responses;
        var completions = kind == Kind.Completions;
        var bestOf = 0;
        var maxTokensGiven = false;
        request = default;
        request.N = 1;
        request.Temperature = double.NaN;
        if (body.IsEmpty)
        {
            return new(CharterError.MalformedJson, "The request body is empty; expected a JSON object.", null);
        }

        if (!Utf8.IsValid(body))
        {
            return new(CharterError.InvalidUtf8, "The request body is not valid UTF-8.", null);
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(CharterError.MalformedJson, "The request body must be a JSON object.", null);
            }

            var sawInput = false;
            var seen = Field.None;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                // Property name at depth 1.
                if (reader.ValueTextEquals("model"u8))
                {
                    if (!FirstTime(ref seen, Field.Model))
                    {
                        return Duplicate("model");
                    }

                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return Type("model", "a string");
                    }

                    request.Model = reader.GetString();
                    if (request.Model!.Length == 0)
                    {
                        return new(CharterError.InvalidRequest, "'model' must not be empty.", "model");
                    }

                    request.ModelStart = (int)reader.TokenStartIndex;
                    request.ModelLength = (int)(reader.BytesConsumed - reader.TokenStartIndex);
                }
                else if (chat && reader.ValueTextEquals("messages"u8))
                {
                    if (!FirstTime(ref seen, Field.Messages))
                    {
                        return Duplicate("messages");
                    }

                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return Type("messages", "an array");
                    }

                    sawInput = true;
                    request.MessagesStart = (int)reader.TokenStartIndex;
                    var r = ReadMessages(ref reader, ref request);
                    if (!r.Success)
                    {
                        return r;
                    }

                    request.MessagesLength = (int)reader.BytesConsumed - request.MessagesStart;
                }
                else if (completions && reader.ValueTextEquals("prompt"u8))
                {
                    if (!FirstTime(ref seen, Field.Input))
                    {
                        return Duplicate("prompt");
                    }

                    reader.Read();
                    sawInput = true;
                    request.MessagesStart = (int)reader.TokenStartIndex;
                    var r = ReadPrompt(ref reader, ref request);
                    if (!r.Success)
                    {
                        return r;
                    }

                    request.MessagesLength = (int)reader.BytesConsumed - request.MessagesStart;
                }
                else if (completions && reader.ValueTextEquals("best_of"u8))
                {
                    if (!FirstTime(ref seen, Field.BestOf))
                    {
                        return Duplicate("best_of");
                    }

                    if (!ReadInt(ref reader, out bestOf, 1, 20))
                    {
                        return Range("best_of", 1, 20);
                    }
                }
                else if (!chat && !completions && reader.ValueTextEquals("input"u8))
                {
                    if (!FirstTime(ref seen, Field.Input))
                    {
                        return Duplicate("input");
                    }

                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartArray))
                    {
                        return Type("input", "a string or an array");
                    }

                    sawInput = true;
                    request.MessagesStart = (int)reader.TokenStartIndex;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        request.PromptChars += reader.ValueSpan.Length;
                        request.MessageCount = 1;
                    }
                    else if (responses)
                    {
                        var r = ReadInputItems(ref reader, ref request);
                        if (!r.Success)
                        {
                            return r;
                        }
                    }
                    else
                    {
                        var start = reader.BytesConsumed;
                        reader.Skip();
                        request.PromptChars += (int)(reader.BytesConsumed - start);
                    }

                    request.MessagesLength = (int)reader.BytesConsumed - request.MessagesStart;
                }
                else if (messages && reader.ValueTextEquals("system"u8))
                {
                    if (!FirstTime(ref seen, Field.Instructions))
                    {
                        return Duplicate("system");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        request.PromptChars += reader.ValueSpan.Length;
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        var start = reader.BytesConsumed;
                        reader.Skip();
                        request.PromptChars += (int)(reader.BytesConsumed - start);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("system", "a string or an array of text blocks");
                    }
                }
                else if (messages && IsOpenAiOnly(ref reader))
                {
                    // Not a Messages parameter: passed on untouched for Anthropic to refuse (the translation to chat drops it).
                    reader.Read();
                    reader.Skip();
                }
                else if (responses && reader.ValueTextEquals("instructions"u8))
                {
                    if (!FirstTime(ref seen, Field.Instructions))
                    {
                        return Duplicate("instructions");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        request.PromptChars += reader.ValueSpan.Length;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("instructions", "a string");
                    }
                }
                else if (responses && reader.ValueTextEquals("max_output_tokens"u8))
                {
                    if (!FirstTime(ref seen, Field.MaxTokens))
                    {
                        return Duplicate("max_output_tokens");
                    }

                    if (!ReadInt(ref reader, out var max, 1, int.MaxValue))
                    {
                        return Range("max_output_tokens", 1, int.MaxValue);
                    }

                    request.MaxTokens = max;
                }
                else if (responses && reader.ValueTextEquals("include"u8))
                {
                    if (!FirstTime(ref seen, Field.Include))
                    {
                        return Duplicate("include");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                return Type("include", "an array of strings");
                            }

                            request.Logprobs |= reader.ValueTextEquals("message.output_text.logprobs"u8);
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("include", "an array of strings");
                    }
                }
                else if (responses && reader.ValueTextEquals("background"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.True)
                    {
                        return new(CharterError.InvalidRequest,
                            "'background' responses are not supported through Charter: their usage could not be recorded or held to the limits. Send the request without 'background'.",
                            "background");
                    }

                    if (reader.TokenType is not (JsonTokenType.False or JsonTokenType.Null))
                    {
                        return Type("background", "a boolean");
                    }
                }
                else if (responses && reader.ValueTextEquals("previous_response_id"u8))
                {
                    if (!FirstTime(ref seen, Field.PreviousResponseId))
                    {
                        return Duplicate("previous_response_id");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        request.PreviousResponseId = reader.GetString();
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("previous_response_id", "a string");
                    }
                }
                else if (responses && reader.ValueTextEquals("conversation"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        // A conversation object is made through /v1/conversations, which Charter does not serve: its id was
                        // made around the gateway, and nothing tells whose it is.
                        return new(CharterError.InvalidRequest,
                            "'conversation' is not supported through Charter: conversations are not created through it, so it cannot tell whose a conversation is. Chain responses with 'previous_response_id' instead.",
                            "conversation");
                    }
                }
                else if (responses && IsChatOnly(ref reader))
                {
                    // Not a Responses parameter: passed on untouched for the upstream to refuse, and not read here.
                    reader.Read();
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    if (!FirstTime(ref seen, Field.Stream))
                    {
                        return Duplicate("stream");
                    }

                    reader.Read();
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                    {
                        request.Stream = reader.TokenType == JsonTokenType.True;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("stream", "a boolean");
                    }
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    if (!FirstTime(ref seen, Field.StreamOptions))
                    {
                        return Duplicate("stream_options");
                    }

                    reader.Read();
                    request.HasStreamOptions = true;
                    request.StreamOptionsStart = (int)reader.TokenStartIndex;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var isUsage = !responses && reader.ValueTextEquals("include_usage"u8);
                            reader.Read();
                            if (isUsage)
                            {
                                if (!FirstTime(ref seen, Field.IncludeUsage))
                                {
                                    return Duplicate("stream_options.include_usage");
                                }

                                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                                {
                                    return Type("stream_options.include_usage", "a boolean");
                                }

                                request.IncludeUsage = reader.TokenType == JsonTokenType.True;
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("stream_options", "an object");
                    }

                    request.StreamOptionsLength = (int)reader.BytesConsumed - request.StreamOptionsStart;
                }
                else if (reader.ValueTextEquals("n"u8))
                {
                    if (!FirstTime(ref seen, Field.N))
                    {
                        return Duplicate("n");
                    }

                    if (!ReadInt(ref reader, out request.N, 1, 128))
                    {
                        return Range("n", 1, 128);
                    }
                }
                else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8))
                {
                    var isMaxTokens = reader.ValueTextEquals("max_tokens"u8);
                    var name = isMaxTokens ? "max_tokens" : "max_completion_tokens";
                    if (!FirstTime(ref seen, isMaxTokens ? Field.MaxTokens : Field.MaxCompletionTokens))
                    {
                        return Duplicate(name);
                    }

                    var least = completions ? 0 : 1;
                    if (!ReadInt(ref reader, out var max, least, int.MaxValue))
                    {
                        return Range(name, least, int.MaxValue);
                    }

                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        request.MaxTokens = Math.Max(request.MaxTokens, max);
                        maxTokensGiven = true;
                    }
                }
                else if (reader.ValueTextEquals("logprobs"u8))
                {
                    if (!FirstTime(ref seen, Field.Logprobs))
                    {
                        return Duplicate("logprobs");
                    }

                    reader.Read();
                    if (completions)
                    {
                        // An integer: that many alternatives for each token (0: the chosen tokens' own log probabilities).
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            continue;
                        }

                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var alternatives) || alternatives is < 0 or > 5)
                        {
                            return Range("logprobs", 0, 5);
                        }

                        request.Logprobs = true;
                        request.TopLogprobs = Math.Max(request.TopLogprobs, alternatives);
                        continue;
                    }

                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        return Type("logprobs", "a boolean");
                    }

                    request.Logprobs = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("top_logprobs"u8))
                {
                    if (!FirstTime(ref seen, Field.TopLogprobs))
                    {
                        return Duplicate("top_logprobs");
                    }

                    if (!ReadInt(ref reader, out var top, 0, 20))
                    {
                        return Range("top_logprobs", 0, 20);
                    }

                    request.TopLogprobs = Math.Max(request.TopLogprobs, top);
                }
                else if (reader.ValueTextEquals("temperature"u8))
                {
                    if (!FirstTime(ref seen, Field.Temperature))
                    {
                        return Duplicate("temperature");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        request.Temperature = reader.GetDouble();
                        var most = messages ? 1 : 2;
                        if (request.Temperature < 0 || request.Temperature > most)
                        {
                            return new(CharterError.InvalidRequest, $"'temperature' must be between 0 and {most} (got {request.Temperature}).", "temperature");
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("temperature", "a number");
                    }
                }
                else if (reader.ValueTextEquals("logit_bias"u8))
                {
                    if (!FirstTime(ref seen, Field.LogitBias))
                    {
                        return Duplicate("logit_bias");
                    }

                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            request.LogitBiasCount++;
                            reader.Read();
                            reader.Skip();
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Type("logit_bias", "an object");
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.CurrentDepth != 0 || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return new(CharterError.MalformedJson, "The request body is not a single JSON object.", null);
            }

            if (request.Model is null && kind == Kind.Moderations)
            {
                request.Model = DefaultModerationModel; // ModelLength 0: not in the body
            }

            if (request.Model is null)
            {
                return new(CharterError.InvalidRequest, "Missing required parameter: 'model'.", "model");
            }

            if (!sawInput)
            {
                var missing = chat ? "messages" : completions ? "prompt" : "input";
                return new(CharterError.InvalidRequest, $"Missing required parameter: '{missing}'.", missing);
            }

            if (messages)
            {
                // Anthropic requires max_tokens: the policy and the limits always know the output allowance.
                return maxTokensGiven || kind == Kind.CountTokens ? RequestParseResult.Ok
                    : new(CharterError.InvalidRequest, "Missing required parameter: 'max_tokens'.", "max_tokens");
            }

            if (request.HasStreamOptions && !request.Stream && request.IncludeUsage)
            {
                return new(CharterError.InvalidRequest, "'stream_options' is only allowed when 'stream' is true.", "stream_options");
            }

            if (responses)
            {
                // Responses has no logprobs flag: top_logprobs alone asks for them, and the policy must see that.
                request.Logprobs |= request.TopLogprobs > 0;
                return RequestParseResult.Ok;
            }

            if (completions)
            {
                // best_of candidates are generated (and billed) though only n come back; absent max_tokens is the API's 16.
                request.N = Math.Max(request.N, bestOf);
                if (!maxTokensGiven)
                {
                    request.MaxTokens = LegacyDefaultMaxTokens;
                }

                request.Logprobs |= request.TopLogprobs > 0;
                return RequestParseResult.Ok;
            }

            if (request.TopLogprobs > 0 && !request.Logprobs)
            {
                return new(CharterError.InvalidRequest, "'top_logprobs' requires 'logprobs' to be true.", "top_logprobs");
            }

            return RequestParseResult.Ok;
        }
        catch (JsonException ex)
        {
            return new(CharterError.MalformedJson, $"The request body is not valid JSON: {Trim(ex.Message)}", null);
        }
    }

    // A legacy completions prompt: a string, an array of strings, an array of token ids, or an array of such arrays. Each
    // string or token array is one prompt (MessageCount); a token counts as four characters toward the estimates.
    private static RequestParseResult ReadPrompt(ref Utf8JsonReader reader, ref ParsedRequest request)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            request.PromptChars += reader.ValueSpan.Length;
            request.MessageCount = 1;
            return RequestParseResult.Ok;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Type("prompt", "a string, an array of strings, an array of integers or an array of arrays of integers");
        }

        // The array's element kind is set by its first element; all others must be alike.
        var first = JsonTokenType.None;
        var tokens = 0;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var kind = reader.TokenType;
            if (first == JsonTokenType.None)
            {
                first = kind;
            }

            if (kind != first || kind is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.StartArray))
            {
                return new(CharterError.InvalidRequest,
                    $"Invalid type for 'prompt[{index}]': 'prompt' must be a string, an array of strings, an array of integers or an array of arrays of integers.", $"prompt[{index}]");
            }

            if (kind == JsonTokenType.String)
            {
                request.PromptChars += reader.ValueSpan.Length;
                request.MessageCount++;
            }
            else if (kind == JsonTokenType.Number)
            {
                tokens++;
            }
            else
            {
                var inner = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        return new(CharterError.InvalidRequest, $"Invalid type for 'prompt[{index}][{inner}]': expected an integer.", $"prompt[{index}][{inner}]");
                    }

                    inner++;
                }

                if (inner == 0)
                {
                    return new(CharterError.InvalidRequest, $"'prompt[{index}]' must contain at least one token.", $"prompt[{index}]");
                }

                tokens += inner;
                request.MessageCount++;
            }

            index++;
        }

        if (index == 0)
        {
            return new(CharterError.InvalidRequest, "'prompt' must not be an empty array.", "prompt");
        }

        if (first == JsonTokenType.Number)
        {
            request.MessageCount = 1;
        }

        request.PromptChars += tokens * 4;
        return RequestParseResult.Ok;
    }

    // Responses input items: objects (messages, function call outputs, …), checked for that much; what they hold is the
    // upstream's to judge. The bytes count as prompt characters, as for an embeddings input array.
    private static RequestParseResult ReadInputItems(ref Utf8JsonReader reader, ref ParsedRequest request)
    {
        var start = reader.BytesConsumed;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new(CharterError.InvalidRequest, $"Invalid type for 'input[{request.MessageCount}]': expected an object.", $"input[{request.MessageCount}]");
            }

            reader.Skip();
            request.MessageCount++;
        }

        if (request.MessageCount == 0)
        {
            return new(CharterError.InvalidRequest, "'input' must contain at least one item.", "input");
        }

        request.PromptChars += (int)(reader.BytesConsumed - start);
        return RequestParseResult.Ok;
    }

    private static RequestParseResult ReadMessages(ref Utf8JsonReader reader, ref ParsedRequest request)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new(CharterError.InvalidRequest, $"Invalid type for 'messages[{request.MessageCount}]': expected an object.", $"messages[{request.MessageCount}]");
            }

            var sawRole = false;
            var sawContent = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    if (sawRole)
                    {
                        return Duplicate($"messages[{request.MessageCount}].role");
                    }

                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return new(CharterError.InvalidRequest, $"Invalid type for 'messages[{request.MessageCount}].role': expected a string.", $"messages[{request.MessageCount}].role");
                    }

                    sawRole = true;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    if (sawContent)
                    {
                        return Duplicate($"messages[{request.MessageCount}].content");
                    }

                    sawContent = true;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        request.PromptChars += reader.ValueSpan.Length;
                    }
                    else if (reader.TokenType is JsonTokenType.StartArray)
                    {
                        var start = reader.BytesConsumed;
                        reader.Skip();
                        request.PromptChars += (int)(reader.BytesConsumed - start);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return new(CharterError.InvalidRequest, $"Invalid type for 'messages[{request.MessageCount}].content': expected a string, an array or null.", $"messages[{request.MessageCount}].content");
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!sawRole)
            {
                return new(CharterError.InvalidRequest, $"Missing required parameter: 'messages[{request.MessageCount}].role'.", $"messages[{request.MessageCount}].role");
            }

            request.MessageCount++;
        }

        if (request.MessageCount == 0)
        {
            return new(CharterError.InvalidRequest, "'messages' must contain at least one message.", "messages");
        }

        return RequestParseResult.Ok;
    }

    private static bool ReadInt(ref Utf8JsonReader reader, out int value, int min, int max)
    {
        reader.Read();
        value = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = min;
            return true;
        }

        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value) && value >= min && value <= max;
    }

    // Marks a field read; false when it was read before. A parameter that appears twice is refused rather than read one way
    // here and perhaps another upstream: JSON leaves duplicate names undefined, and most parsers keep the last value but
    // some keep the first, so a body like {"model":"forbidden","model":"allowed"} could pass the checks under one value
    // and run under the other.
    private static bool FirstTime(ref Field seen, Field field)
    {
        if ((seen & field) != 0)
        {
            return false;
        }

        seen |= field;
        return true;
    }

    private static RequestParseResult Duplicate(string param) =>
        new(CharterError.InvalidRequest, $"Duplicate parameter '{param}': each parameter may appear only once.", param);

    private static RequestParseResult Type(string param, string expected) =>
        new(CharterError.InvalidRequest, $"Invalid type for '{param}': expected {expected}.", param);

    private static RequestParseResult Range(string param, int min, int max) =>
        new(CharterError.InvalidRequest, $"Invalid value for '{param}': expected an integer from {min} to {max}.", param);

    [Flags]
    private enum Field
    {
        None = 0,
        Model = 1 << 0,
        Messages = 1 << 1,
        Input = 1 << 2,
        Stream = 1 << 3,
        StreamOptions = 1 << 4,
        IncludeUsage = 1 << 5,
        N = 1 << 6,
        MaxTokens = 1 << 7,
        MaxCompletionTokens = 1 << 8,
        Logprobs = 1 << 9,
        TopLogprobs = 1 << 10,
        Temperature = 1 << 11,
        LogitBias = 1 << 12,
        Instructions = 1 << 13,
        Include = 1 << 14,
        PreviousResponseId = 1 << 15,
        BestOf = 1 << 16,
    }

    private enum Kind
    {
        Chat,
        Embeddings,
        Responses,
        Completions,
        Moderations,
        Messages,
        CountTokens,
    }

    // What a legacy completions request without max_tokens generates at most (OpenAI's default, and vLLM's).
    private const int LegacyDefaultMaxTokens = 16;

    // Chat Completions parameters the parser would otherwise read into the fields the policy decides on.
    private static bool IsChatOnly(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("n"u8) || reader.ValueTextEquals("logprobs"u8) || reader.ValueTextEquals("logit_bias"u8)
        || reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("messages"u8);

    // OpenAI parameters that Anthropic's Messages API does not have, which the parser would otherwise read into the fields the
    // policy decides on.
    private static bool IsOpenAiOnly(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("n"u8) || reader.ValueTextEquals("logprobs"u8) || reader.ValueTextEquals("top_logprobs"u8)
        || reader.ValueTextEquals("logit_bias"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("stream_options"u8);

    private static string Trim(string message)
    {
        var i = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
