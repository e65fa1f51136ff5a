// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Providers.Responses;

/// <summary>A chat completion's <c>usage</c> (<c>CompletionUsage</c>), as the Responses <c>usage</c> needs it.</summary>
/// <param name="PromptTokens"><c>prompt_tokens</c> → <c>input_tokens</c>.</param>
/// <param name="CompletionTokens"><c>completion_tokens</c> → <c>output_tokens</c>.</param>
/// <param name="CachedTokens"><c>prompt_tokens_details.cached_tokens</c> → <c>input_tokens_details.cached_tokens</c>.</param>
/// <param name="ReasoningTokens"><c>completion_tokens_details.reasoning_tokens</c> → <c>output_tokens_details.reasoning_tokens</c>.</param>
/// <param name="TotalTokens"><c>total_tokens</c> (the sum when absent).</param>
internal readonly record struct ChatUsage(int PromptTokens, int CompletionTokens, int CachedTokens, int ReasoningTokens, int TotalTokens)
{
    /// <summary>Reads a <c>usage</c> object; false when it is not an object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> usage, out ChatUsage value)
    {
        value = default;
        if (usage.IsEmpty || usage[0] != (byte)'{')
        {
            return false;
        }

        var reader = new Utf8JsonReader(usage);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        int prompt = 0, completion = 0, cached = 0, reasoning = 0, total = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadNested(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadNested(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        value = new ChatUsage(prompt, completion, cached, reasoning, total >= 0 ? total : prompt + completion);
        return true;
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n : 0;
    }

    private static int ReadNested(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        var result = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                result = ReadInt(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return result;
    }
}
