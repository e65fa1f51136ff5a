// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Reading <c>prompt</c> (a string, strings, token ids or arrays of token ids), <c>stop</c> and <c>logit_bias</c>.</summary>
internal sealed partial class CompletionRequest
{
    /// <summary>The spec's default prompt (the document separator), used for <c>"prompt":null</c>.</summary>
    private static readonly byte[] s_endOfText = "<|endoftext|>"u8.ToArray();

    private static SimError? ParsePrompt(ref Utf8JsonReader reader, CompletionRequest request, PooledBufferWriter scratch)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                request.Prompts.Add(new CompletionPrompt(s_endOfText, ChatRequest.TextTokens(s_endOfText.Length)));
                return null;
            case JsonTokenType.String:
                request.Prompts.Add(ReadText(ref reader, scratch));
                return null;
            case JsonTokenType.StartArray:
                break;
            default:
                return InvalidPromptType("prompt");
        }

        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                return EmptyArray("prompt");
            case JsonTokenType.Number:
                // One prompt of token ids.
                var idsError = ReadTokenIds(ref reader, scratch, "prompt", out var ids);
                if (idsError is null)
                {
                    request.Prompts.Add(ids!);
                }

                return idsError;
        }

        // Several prompts: every element a string, or every element an array of token ids (the kind of the first).
        var strings = reader.TokenType == JsonTokenType.String;
        for (var i = 0; reader.TokenType != JsonTokenType.EndArray; i++, reader.Read())
        {
            if (strings && reader.TokenType == JsonTokenType.String)
            {
                request.Prompts.Add(ReadText(ref reader, scratch));
                continue;
            }

            var param = string.Create(CultureInfo.InvariantCulture, $"prompt[{i}]");
            if (strings)
            {
                return SimError.InvalidType(param, "a string");
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return i == 0 ? InvalidPromptType("prompt") : SimError.InvalidType(param, "an array of integers");
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return EmptyArray(param);
            }

            var error = ReadTokenIds(ref reader, scratch, param, out var prompt);
            if (error is not null)
            {
                return error;
            }

            request.Prompts.Add(prompt!);
        }

        return null;
    }

    private static CompletionPrompt ReadText(ref Utf8JsonReader reader, PooledBufferWriter scratch)
    {
        scratch.Clear();
        JsonRead.AppendString(ref reader, scratch);
        return new CompletionPrompt(scratch.WrittenSpan.ToArray(), ChatRequest.TextTokens(scratch.WrittenCount));
    }

    /// <summary>Reads token ids from the first (the reader is on it) to the closing bracket, rendered as text (see
    /// <see cref="CompletionPrompt.RenderTokenId"/>).</summary>
    private static SimError? ReadTokenIds(ref Utf8JsonReader reader, PooledBufferWriter scratch, string param, out CompletionPrompt? prompt)
    {
        prompt = null;
        scratch.Clear();
        var count = 0;
        for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id))
            {
                return SimError.InvalidType(string.Create(CultureInfo.InvariantCulture, $"{param}[{count}]"), "an integer");
            }

            if (id < 0)
            {
                return SimError.InvalidValue(string.Create(CultureInfo.InvariantCulture, $"{param}[{count}]"), "a token id must not be negative.");
            }

            CompletionPrompt.RenderTokenId(id, scratch);
            count++;
        }

        prompt = new CompletionPrompt(scratch.WrittenSpan.ToArray(), count);
        return null;
    }

    private static SimError? ParseStop(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.Null or JsonTokenType.String)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("stop", "a string or an array of strings");
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return SimError.InvalidType(string.Create(CultureInfo.InvariantCulture, $"stop[{count}]"), "a string");
            }

            count++;
        }

        if (count == 0)
        {
            return EmptyArray("stop");
        }

        return count <= 4 ? null : new SimError(
            400,
            string.Create(CultureInfo.InvariantCulture, $"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length {count} instead."),
            "invalid_request_error",
            "stop",
            "array_above_max_length");
    }

    /// <summary><c>logit_bias</c>: null or an object mapping token ids to biases from -100 to 100.</summary>
    private static SimError? ParseLogitBias(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType("logit_bias", "an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTokenId = !reader.ValueIsEscaped && !reader.HasValueSequence
                ? Utf8Parser.TryParse(reader.ValueSpan, out int id, out var consumed) && consumed == reader.ValueSpan.Length && id >= 0
                : int.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (!isTokenId)
            {
                return SimError.InvalidValue("logit_bias", "keys must be token ids (non-negative integers).");
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var bias))
            {
                return SimError.InvalidType("logit_bias", "an object of token ids to numbers");
            }

            if (bias is < -100 or > 100)
            {
                return SimError.InvalidValue("logit_bias", "a bias must be between -100 and 100.");
            }
        }

        return null;
    }

    private static SimError? ReadOptionalString(ref Utf8JsonReader reader, string param)
    {
        reader.Read();
        return reader.TokenType is JsonTokenType.Null or JsonTokenType.String ? null : SimError.InvalidType(param, "a string");
    }

    private static SimError InvalidPromptType(string param) =>
        SimError.InvalidType(param, "a string, an array of strings, an array of integers or an array of integer arrays");

    private static SimError EmptyArray(string param) => new(
        400,
        $"Invalid '{param}': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        "invalid_request_error",
        param,
        "empty_array");
}
