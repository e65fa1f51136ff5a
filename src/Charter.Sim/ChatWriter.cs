// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes chat completions and stream chunks with <see cref="Utf8JsonWriter"/> (no DTOs, no reflection).</summary>
internal static class ChatWriter
{
    /// <remarks>Relaxed escaping, as OpenAI's own responses ('→' and quotes are not \u-escaped); the body is never HTML.</remarks>
    public static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a complete <c>chat.completion</c> object.</summary>
    public static void WriteCompletion(Utf8JsonWriter w, ChatCompletion c)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, c.Id);
        w.WriteString("object"u8, "chat.completion"u8);
        w.WriteNumber("created"u8, c.Created);
        w.WriteString("model"u8, c.Model);
        if (c.AzureAnnotations)
        {
            WritePromptFilterResults(w, 1);
        }

        w.WriteStartArray("choices"u8);
        for (var i = 0; i < c.Choices.Length; i++)
        {
            var plan = c.Choices[i];
            w.WriteStartObject();
            w.WriteNumber("index"u8, i);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant"u8);
            WriteText(w, plan);
            w.WriteNull("refusal"u8);
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteEndObject();
            if (c.Logprobs)
            {
                w.WritePropertyName("logprobs"u8);
                WriteLogprobs(w, plan, c.TopLogprobs, 0, plan.Count);
            }
            else
            {
                w.WriteNull("logprobs"u8);
            }

            w.WriteString("finish_reason"u8, plan.Truncated ? "length"u8 : "stop"u8);
            if (c.AzureAnnotations)
            {
                w.WritePropertyName("content_filter_results"u8);
                WriteFilterCategories(w);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WritePropertyName("usage"u8);
        WriteUsage(w, c.PromptTokens, c.CompletionTokens);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteString("system_fingerprint"u8, "fp_sim"u8);
        w.WriteEndObject();
    }

    /// <summary>Writes the head of a chunk up to and including <c>"choices":[</c>.</summary>
    public static void WriteChunkStart(Utf8JsonWriter w, ChatCompletion c)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, c.Id);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        w.WriteNumber("created"u8, c.Created);
        w.WriteString("model"u8, c.Model);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteString("system_fingerprint"u8, "fp_sim"u8);
        w.WriteStartArray("choices"u8);
    }

    /// <summary>Closes a chunk opened by <see cref="WriteChunkStart"/>.</summary>
    public static void WriteChunkEnd(Utf8JsonWriter w, ChatCompletion c)
    {
        w.WriteEndArray();
        if (c.IncludeUsage)
        {
            w.WriteNull("usage"u8);
        }

        w.WriteEndObject();
    }

    /// <summary>The first delta of a choice: the assistant role and empty content.</summary>
    public static void WriteRoleChoice(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("content"u8, ""u8);
        w.WriteNull("refusal"u8);
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteNull("finish_reason"u8);
        w.WriteEndObject();
    }

    /// <summary>One content delta carrying token <paramref name="token"/> of choice <paramref name="index"/>.</summary>
    public static void WriteTokenChoice(Utf8JsonWriter w, ChatCompletion c, int index, int token)
    {
        var plan = c.Choices[index];
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        w.WriteString("content"u8, SimText.Token(plan, token));
        w.WriteEndObject();
        if (c.Logprobs)
        {
            w.WritePropertyName("logprobs"u8);
            WriteLogprobs(w, plan, c.TopLogprobs, token, token + 1);
        }
        else
        {
            w.WriteNull("logprobs"u8);
        }

        w.WriteNull("finish_reason"u8);
        w.WriteEndObject();
    }

    /// <summary>The last delta of a choice: empty, with its finish_reason.</summary>
    public static void WriteFinishChoice(Utf8JsonWriter w, ChatCompletion c, int index)
    {
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, c.Choices[index].Truncated ? "length"u8 : "stop"u8);
        w.WriteEndObject();
    }

    /// <summary>The final <c>include_usage</c> chunk: <c>choices:[]</c> and the usage of the whole request.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter w, ChatCompletion c)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, c.Id);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        w.WriteNumber("created"u8, c.Created);
        w.WriteString("model"u8, c.Model);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteString("system_fingerprint"u8, "fp_sim"u8);
        w.WriteStartArray("choices"u8);
        w.WriteEndArray();
        w.WritePropertyName("usage"u8);
        WriteUsage(w, c.PromptTokens, c.CompletionTokens);
        w.WriteEndObject();
    }

    /// <summary>Azure's first stream chunk: empty id/model, <c>choices:[]</c> and the prompt filter results (one per prompt:
    /// a chat has one, a legacy completion one per prompt of its <c>prompt</c> array).</summary>
    public static void WriteAzurePromptFilterChunk(Utf8JsonWriter w, int promptCount)
    {
        w.WriteStartObject();
        w.WriteStartArray("choices"u8);
        w.WriteEndArray();
        w.WriteNumber("created"u8, 0);
        w.WriteString("id"u8, ""u8);
        w.WriteString("model"u8, ""u8);
        w.WriteString("object"u8, ""u8);
        WritePromptFilterResults(w, promptCount);
        w.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter w, int promptTokens, int completionTokens)
    {
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens"u8, promptTokens);
        w.WriteNumber("completion_tokens"u8, completionTokens);
        w.WriteNumber("total_tokens"u8, promptTokens + completionTokens);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteNumber("accepted_prediction_tokens"u8, 0);
        w.WriteNumber("rejected_prediction_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"content":[…tokens from..to…],"refusal":null}</c>.</summary>
    public static void WriteLogprobs(Utf8JsonWriter w, in ChoicePlan plan, int top, int from, int to)
    {
        w.WriteStartObject();
        w.WritePropertyName("content"u8);
        WriteLogprobEntries(w, plan, top, from, to, bytes: true);
        w.WriteNull("refusal"u8);
        w.WriteEndObject();
    }

    /// <summary>Writes the array <c>[{"token","logprob","bytes"?,"top_logprobs":[…]}…]</c> of tokens <paramref name="from"/>..<paramref name="to"/>.</summary>
    /// <remarks>Also the Responses API's <c>logprobs</c>; its stream deltas carry them without <c>bytes</c>.</remarks>
    public static void WriteLogprobEntries(Utf8JsonWriter w, in ChoicePlan plan, int top, int from, int to, bool bytes)
    {
        w.WriteStartArray();
        for (var i = from; i < to; i++)
        {
            var token = SimText.Token(plan, i);
            var logprob = SimText.LogProb(plan.Hash, i);
            w.WriteStartObject();
            w.WriteString("token"u8, token);
            w.WriteNumber("logprob"u8, logprob);
            if (bytes)
            {
                WriteBytes(w, token);
            }

            w.WriteStartArray("top_logprobs"u8);
            for (var j = 0; j < top; j++)
            {
                ReadOnlySpan<byte> alternative;
                double altLogprob;
                if (j == 0)
                {
                    alternative = token;
                    altLogprob = logprob;
                }
                else
                {
                    var word = SimText.AlternativeWord(plan.Hash, i, j);
                    alternative = i == 0 ? SimText.Capital[word] : SimText.Lower[word];
                    if (alternative.SequenceEqual(token))
                    {
                        word = (word + j) % SimText.WordCount;
                        alternative = i == 0 ? SimText.Capital[word] : SimText.Lower[word];
                    }

                    altLogprob = SimText.AlternativeLogProb(plan.Hash, i, j, logprob);
                }

                w.WriteStartObject();
                w.WriteString("token"u8, alternative);
                w.WriteNumber("logprob"u8, altLogprob);
                if (bytes)
                {
                    WriteBytes(w, alternative);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteBytes(Utf8JsonWriter w, ReadOnlySpan<byte> token)
    {
        w.WriteStartArray("bytes"u8);
        foreach (var b in token)
        {
            w.WriteNumberValue(b);
        }

        w.WriteEndArray();
    }

    private static void WriteText(Utf8JsonWriter w, in ChoicePlan plan)
    {
        var max = SimText.MaxBytes(plan);
        if (max <= 2048)
        {
            Span<byte> buffer = stackalloc byte[2048];
            var n = SimText.Write(plan, buffer);
            w.WriteString("content"u8, buffer[..n]);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = SimText.Write(plan, rented);
            w.WriteString("content"u8, rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Azure's <c>prompt_filter_results</c>: one entry per prompt, nothing filtered.</summary>
    public static void WritePromptFilterResults(Utf8JsonWriter w, int promptCount)
    {
        w.WriteStartArray("prompt_filter_results"u8);
        for (var i = 0; i < promptCount; i++)
        {
            w.WriteStartObject();
            w.WriteNumber("prompt_index"u8, i);
            w.WritePropertyName("content_filter_results"u8);
            w.WriteStartObject();
            WriteSeverity(w, "hate"u8);
            WriteSeverity(w, "self_harm"u8);
            WriteSeverity(w, "sexual"u8);
            WriteSeverity(w, "violence"u8);
            w.WriteStartObject("jailbreak"u8);
            w.WriteBoolean("filtered"u8, false);
            w.WriteBoolean("detected"u8, false);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Azure's <c>content_filter_results</c> of a choice: every category safe.</summary>
    public static void WriteFilterCategories(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        WriteSeverity(w, "hate"u8);
        WriteSeverity(w, "self_harm"u8);
        WriteSeverity(w, "sexual"u8);
        WriteSeverity(w, "violence"u8);
        w.WriteEndObject();
    }

    private static void WriteSeverity(Utf8JsonWriter w, ReadOnlySpan<byte> category)
    {
        w.WriteStartObject(category);
        w.WriteBoolean("filtered"u8, false);
        w.WriteString("severity"u8, "safe"u8);
        w.WriteEndObject();
    }
}
