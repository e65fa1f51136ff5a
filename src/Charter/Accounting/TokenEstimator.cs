// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace Charter.Accounting;

/// <summary>Counts tokens with the o200k_base encoding (GPT-4o family) for admission estimates and usage fallbacks.</summary>
/// <remarks>
/// Chat overhead follows OpenAI's cookbook ("How to count tokens with tiktoken"): 3 tokens per message, 1 more when a
/// message has a name, 3 to prime the reply. Other vendors' tokenizers differ; the figure is an estimate for them.
/// The tokenizer is built once per process (loading the 200k-entry vocabulary takes ~100 ms and tens of MB).
/// </remarks>
public sealed class TokenEstimator
{
    /// <summary>Tokens added per message (role and separators).</summary>
    public const int TokensPerMessage = 3;

    /// <summary>Tokens added when a message carries a name.</summary>
    public const int TokensPerName = 1;

    /// <summary>Tokens that prime the assistant's reply.</summary>
    public const int ReplyPrimingTokens = 3;

    /// <summary>Flat charge for an image part (a low-detail image; high detail costs more).</summary>
    public const int ImagePartTokens = 85;

    private const int StackChars = 512;

    private static readonly Lazy<TiktokenTokenizer> SharedTokenizer =
        new(() => TiktokenTokenizer.CreateForModel("gpt-4o"), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _defaultCompletionTokens;

    /// <summary>Creates an estimator with the configured completion allowance.</summary>
    public TokenEstimator(IOptions<LimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _defaultCompletionTokens = Math.Max(0, options.Value.DefaultCompletionTokens);
    }

    /// <summary>Creates an estimator with the default options.</summary>
    public TokenEstimator()
        : this(Options.Create(new LimitsOptions()))
    {
    }

    /// <summary>The shared o200k tokenizer.</summary>
    public static Tokenizer Tokenizer => SharedTokenizer.Value;

    /// <summary>Tokens in <paramref name="text"/>.</summary>
    public int CountText(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : SharedTokenizer.Value.CountTokens(text);

    /// <summary>Tokens in UTF-8 <paramref name="utf8"/> (e.g. the concatenated deltas of an interrupted stream).</summary>
    public int CountUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return 0;
        }

        char[]? rented = null;
        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        var buffer = max <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var written = Encoding.UTF8.GetChars(utf8, buffer);
            return CountText(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Prompt tokens of (role, content, name) messages, overhead included.</summary>
    public int CountMessages(IReadOnlyList<(string Role, string? Content, string? Name)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = ReplyPrimingTokens;
        for (var i = 0; i < messages.Count; i++)
        {
            var (role, content, name) = messages[i];
            total += TokensPerMessage + CountText(role) + CountText(content);
            if (name is not null)
            {
                total += TokensPerName + CountText(name);
            }
        }

        return total;
    }

    /// <summary>Estimates a <c>/v1/chat/completions</c> request body (UTF-8 JSON); bytes / 4 when it does not parse.</summary>
    public ChatTokenEstimate EstimateChat(ReadOnlySpan<byte> requestBody)
    {
        try
        {
            return Parse(requestBody);
        }
        catch (JsonException)
        {
            return new ChatTokenEstimate((requestBody.Length + 3) / 4, _defaultCompletionTokens, 1, IsExact: false);
        }
    }

    private ChatTokenEstimate Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        long prompt = 0;
        long? maxCompletion = null;
        long? maxTokens = null;
        var choices = 1;
        var sawMessages = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                prompt += CountMessagesArray(ref reader);
                sawMessages = true;
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                // A Responses (or embeddings) input: a string, or items shaped like messages.
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    prompt += CountString(ref reader);
                }
                else
                {
                    prompt += CountMessagesArray(ref reader);
                    sawMessages |= reader.TokenType == JsonTokenType.EndArray;
                }
            }
            else if (reader.ValueTextEquals("prompt"u8))
            {
                // A legacy completions prompt: a string, strings, token ids, or arrays of token ids.
                reader.Read();
                prompt += CountPrompt(ref reader);
            }
            else if (reader.ValueTextEquals("instructions"u8) || reader.ValueTextEquals("suffix"u8) || reader.ValueTextEquals("system"u8))
            {
                // A Responses body's instructions, a completion's suffix, an Anthropic Messages body's system prompt (a string,
                // or text blocks whose JSON text is counted).
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    prompt += TokensPerMessage + CountString(ref reader);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    prompt += TokensPerMessage + CountUtf8(body[start..(int)reader.BytesConsumed]);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8))
            {
                reader.Read();
                maxCompletion = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("max_tokens"u8))
            {
                reader.Read();
                maxTokens = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("n"u8) || reader.ValueTextEquals("best_of"u8))
            {
                // best_of candidates are generated (and billed) though only n come back.
                reader.Read();
                choices = Math.Max(choices, (int)Math.Clamp(ReadLong(ref reader) ?? 1, 1, 128));
            }
            else if (reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8))
            {
                // Tool definitions count toward the prompt; their JSON text is a fair approximation.
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                prompt += CountUtf8(body[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (sawMessages)
        {
            prompt += ReplyPrimingTokens;
        }

        var allowance = maxCompletion ?? maxTokens ?? _defaultCompletionTokens;
        return new ChatTokenEstimate(prompt, Math.Max(0, allowance), choices, IsExact: true);
    }

    private static long? ReadLong(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;

    private long CountPrompt(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return CountString(ref reader);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        long total = 0;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            total += reader.TokenType switch
            {
                JsonTokenType.String => CountString(ref reader),
                JsonTokenType.Number => 1, // a token id
                _ => 0,
            };
        }

        return total;
    }

    private long CountMessagesArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        long total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            total += TokensPerMessage;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                var isContent = reader.ValueTextEquals("content"u8);
                var isToolCalls = reader.ValueTextEquals("tool_calls"u8);
                reader.Read();
                if (isName && reader.TokenType == JsonTokenType.String)
                {
                    total += TokensPerName + CountString(ref reader);
                }
                else if (isContent && reader.TokenType == JsonTokenType.StartArray)
                {
                    total += CountContentParts(ref reader);
                }
                else if (isToolCalls)
                {
                    total += CountStrings(ref reader);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    // role, content, tool_call_id, refusal: every string field of a message reaches the model.
                    total += CountString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return total;
    }

    private long CountContentParts(ref Utf8JsonReader reader)
    {
        long total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                var isImage = reader.ValueTextEquals("image_url"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    total += CountString(ref reader);
                }
                else
                {
                    if (isImage)
                    {
                        total += ImagePartTokens;
                    }

                    reader.Skip();
                }
            }
        }

        return total;
    }

    /// <summary>Counts every string value inside the current array or object (tool calls: ids, names, arguments).</summary>
    private long CountStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return CountString(ref reader);
        }

        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            return 0;
        }

        long total = 0;
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                total += CountString(ref reader);
            }
        }

        return total;
    }

    private int CountString(ref Utf8JsonReader reader)
    {
        var max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (max == 0)
        {
            return 0;
        }

        char[]? rented = null;
        var buffer = max <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var written = reader.CopyString(buffer);
            return CountText(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
