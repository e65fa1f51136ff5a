// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Streaming;

namespace Charter.Providers.Anthropic;

/// <summary>Anthropic's usage counters, as last reported (each member present in a usage object replaces the one before).</summary>
internal struct AnthropicUsageCounts
{
    public int InputTokens;
    public int OutputTokens;
    public int CacheReadInputTokens;
    public int CacheCreationInputTokens;
    public bool Seen;

    /// <summary>Reads an Anthropic <c>usage</c> object (raw JSON); members that are absent or null keep their value.</summary>
    public void Read(ReadOnlySpan<byte> usageObject)
    {
        if (!AnthropicJson.IsObject(usageObject))
        {
            return;
        }

        var reader = AnthropicJson.ReaderOn(usageObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref InputTokens;
            var known = true;
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                target = ref InputTokens;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                target = ref OutputTokens;
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                target = ref CacheReadInputTokens;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                target = ref CacheCreationInputTokens;
            }
            else
            {
                known = false;
            }

            reader.Read();
            if (known && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
            {
                target = value;
            }
            else
            {
                reader.Skip();
            }
        }

        Seen = true;
    }

    /// <summary>The raw <c>usage</c> member of an Anthropic message object; empty when there is none.</summary>
    public static ReadOnlySpan<byte> UsageOf(ReadOnlySpan<byte> message)
    {
        if (!AnthropicJson.IsObject(message))
        {
            return default;
        }

        try
        {
            var reader = AnthropicJson.ReaderOn(message);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                var slice = AnthropicJson.ValueSlice(ref reader);
                if (isUsage)
                {
                    return slice.Of(message);
                }
            }
        }
        catch (JsonException)
        {
            // Not a message: no usage.
        }

        return default;
    }

    /// <summary>Reads the usage of an Anthropic message (a whole, non-streamed answer) in OpenAI's terms.</summary>
    public static bool TryReadMessage(ReadOnlySpan<byte> message, out Usage usage)
    {
        var counts = default(AnthropicUsageCounts);
        counts.Read(UsageOf(message));
        usage = counts.ToUsage();
        return counts.Seen;
    }

    /// <summary>The counts in OpenAI's terms: prompt = input + cache read + cache creation; cached = cache read.</summary>
    public readonly Usage ToUsage() => new()
    {
        PromptTokens = InputTokens + CacheReadInputTokens + CacheCreationInputTokens,
        CompletionTokens = OutputTokens,
        CachedTokens = CacheReadInputTokens,
        Present = Seen,
    };

    /// <summary>Writes OpenAI's <c>usage</c> object as a value: prompt, completion and total tokens, and the cached prompt tokens.</summary>
    public static void WriteOpenAiUsage(Utf8JsonWriter writer, in Usage usage)
    {
        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, (long)usage.PromptTokens + usage.CompletionTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, usage.CachedTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
