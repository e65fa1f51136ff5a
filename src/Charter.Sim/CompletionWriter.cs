// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes legacy text completions and their stream chunks (spec <c>CreateCompletionResponse</c>, the same shape for both)
/// with <see cref="Utf8JsonWriter"/> (no DTOs, no reflection).</summary>
internal static partial class CompletionWriter
{
    /// <summary>Writes a complete <c>text_completion</c> object.</summary>
    public static void WriteCompletion(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteStartObject();
        WriteHead(w, c);
        if (c.AzureAnnotations)
        {
            ChatWriter.WritePromptFilterResults(w, c.Prompts.Length);
        }

        w.WriteStartArray("choices"u8);
        for (var i = 0; i < c.Choices.Length; i++)
        {
            w.WriteStartObject();
            WriteText(w, c, i);
            w.WriteNumber("index"u8, i);
            if (c.Logprobs >= 0)
            {
                w.WritePropertyName("logprobs"u8);
                WriteLogprobs(w, c, i, 0, c.EchoedTokens(i) + c.Choices[i].Count, 0);
            }
            else
            {
                w.WriteNull("logprobs"u8);
            }

            w.WriteString("finish_reason"u8, FinishReason(c.Choices[i]));
            if (c.AzureAnnotations)
            {
                w.WritePropertyName("content_filter_results"u8);
                ChatWriter.WriteFilterCategories(w);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WritePropertyName("usage"u8);
        WriteUsage(w, c);
        w.WriteEndObject();
    }

    /// <summary>Writes the head of a chunk up to and including <c>"choices":[</c>.</summary>
    public static void WriteChunkStart(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteStartObject();
        WriteHead(w, c);
        w.WriteStartArray("choices"u8);
    }

    /// <summary>Closes a chunk opened by <see cref="WriteChunkStart"/> (<c>"usage":null</c> when the last chunk will carry it).</summary>
    public static void WriteChunkEnd(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteEndArray();
        if (c.IncludeUsage)
        {
            w.WriteNull("usage"u8);
        }

        w.WriteEndObject();
    }

    /// <summary>A piece of choice <paramref name="index"/>'s text, with the <c>logprobs</c> of its tokens
    /// <paramref name="from"/>..<paramref name="to"/> (positions as in <see cref="WriteLogprobs"/>) when asked for.</summary>
    public static void WriteTextChoice(Utf8JsonWriter w, TextCompletion c, int index, ReadOnlySpan<byte> text, int from, int to, int textOffset)
    {
        w.WriteStartObject();
        w.WriteString("text"u8, text);
        w.WriteNumber("index"u8, index);
        if (c.Logprobs >= 0)
        {
            w.WritePropertyName("logprobs"u8);
            WriteLogprobs(w, c, index, from, to, textOffset);
        }
        else
        {
            w.WriteNull("logprobs"u8);
        }

        w.WriteNull("finish_reason"u8);
        w.WriteEndObject();
    }

    /// <summary>The last piece of a choice: no text, its finish_reason.</summary>
    public static void WriteFinishChoice(Utf8JsonWriter w, TextCompletion c, int index)
    {
        w.WriteStartObject();
        w.WriteString("text"u8, ""u8);
        w.WriteNumber("index"u8, index);
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, FinishReason(c.Choices[index]));
        w.WriteEndObject();
    }

    /// <summary>The final <c>include_usage</c> chunk: <c>choices:[]</c> and the usage of the whole request.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteStartObject();
        WriteHead(w, c);
        w.WriteStartArray("choices"u8);
        w.WriteEndArray();
        w.WritePropertyName("usage"u8);
        WriteUsage(w, c);
        w.WriteEndObject();
    }

    private static void WriteHead(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteString("id"u8, c.Id);
        w.WriteString("object"u8, "text_completion"u8);
        w.WriteNumber("created"u8, c.Created);
        w.WriteString("model"u8, c.Model);
        w.WriteString("system_fingerprint"u8, "fp_sim"u8);
    }

    /// <summary>The legacy usage: the three counts, no details.</summary>
    private static void WriteUsage(Utf8JsonWriter w, TextCompletion c)
    {
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens"u8, c.PromptTokens);
        w.WriteNumber("completion_tokens"u8, c.CompletionTokens);
        w.WriteNumber("total_tokens"u8, c.PromptTokens + c.CompletionTokens);
        w.WriteEndObject();
    }

    private static ReadOnlySpan<byte> FinishReason(in ChoicePlan plan) => plan.Truncated ? "length"u8 : "stop"u8;

    /// <summary>Writes <c>"text"</c>: the prompt when echoed, then the generated tokens.</summary>
    private static void WriteText(Utf8JsonWriter w, TextCompletion c, int index)
    {
        var plan = c.Choices[index];
        ReadOnlySpan<byte> prompt = c.Echo ? c.PromptOf(index).Text : [];
        var max = prompt.Length + SimText.MaxBytes(plan);
        byte[]? rented = null;
        var buffer = max <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            prompt.CopyTo(buffer);
            var n = prompt.Length + SimText.Write(plan, buffer[prompt.Length..]);
            w.WriteString("text"u8, buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
