// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>One-pass parsing of the request body (no DOM, no DTO, thread-static scratch buffers).</summary>
internal sealed partial class ChatRequest
{
    [ThreadStatic]
    private static PooledBufferWriter? t_content;

    [ThreadStatic]
    private static PooledBufferWriter? t_lastUser;

    /// <summary>Parses <paramref name="body"/>; returns an error for malformed or invalid requests.</summary>
    public static SimError? Parse(in ReadOnlySequence<byte> body, ChatRequest request, bool requireModel = true)
    {
        var content = t_content ??= new PooledBufferWriter(4096);
        var lastUser = t_lastUser ??= new PooledBufferWriter(4096);
        content.Clear();
        lastUser.Clear();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            var error = ParseRoot(ref reader, request, content, lastUser);
            if (error is not null)
            {
                return error;
            }

            if (reader.Read())
            {
                return SimError.Malformed;
            }
        }
        catch (JsonException)
        {
            return SimError.Malformed;
        }
        finally
        {
            PooledBufferWriter.ReleaseIfLarge(ref t_content);
            PooledBufferWriter.ReleaseIfLarge(ref t_lastUser);
        }

        return Validate(request, requireModel);
    }

    private static SimError? ParseRoot(ref Utf8JsonReader reader, ChatRequest request, PooledBufferWriter content, PooledBufferWriter lastUser)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.Malformed;
        }

        var sawMessages = false;
        var maxTokens = -1;
        var maxCompletionTokens = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            SimError? error = null;
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return SimError.InvalidType("model", "a string");
                }

                request.Model = KnownModels.GetString(ref reader);
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                sawMessages = true;
                error = ParseMessages(ref reader, request, content, lastUser);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                var value = false;
                error = JsonRead.ReadBool(ref reader, "stream", ref value);
                request.Stream = value;
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                var (present, includeUsage) = (false, false);
                error = JsonRead.ReadStreamOptions(ref reader, ref present, ref includeUsage);
                (request.StreamOptionsPresent, request.IncludeUsage) = (present, includeUsage);
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                var value = 1;
                error = JsonRead.ReadInt(ref reader, "n", ref value);
                request.N = value;
            }
            else if (reader.ValueTextEquals("max_tokens"u8))
            {
                error = JsonRead.ReadInt(ref reader, "max_tokens", ref maxTokens);
            }
            else if (reader.ValueTextEquals("max_completion_tokens"u8))
            {
                error = JsonRead.ReadInt(ref reader, "max_completion_tokens", ref maxCompletionTokens);
            }
            else if (reader.ValueTextEquals("logprobs"u8))
            {
                var value = false;
                error = JsonRead.ReadBool(ref reader, "logprobs", ref value);
                request.Logprobs = value;
            }
            else if (reader.ValueTextEquals("top_logprobs"u8))
            {
                var value = 0;
                error = JsonRead.ReadInt(ref reader, "top_logprobs", ref value);
                request.TopLogprobs = value;
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                error = ParseMetadata(ref reader, request);
            }
            else
            {
                reader.Skip();
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return SimError.Malformed;
        }

        if (!sawMessages)
        {
            return SimError.Missing("messages");
        }

        if (maxCompletionTokens is < -1 or 0 || maxTokens is < -1 or 0)
        {
            var param = maxCompletionTokens is < -1 or 0 ? "max_completion_tokens" : "max_tokens";
            return SimError.InvalidValue(param, "integer below minimum value. Expected a value >= 1.");
        }

        request.MaxTokens = maxCompletionTokens > 0 ? maxCompletionTokens : maxTokens;
        if (lastUser.WrittenCount > 0 || request.LastUserText is not null)
        {
            request.LastUserText = Encoding.UTF8.GetString(lastUser.WrittenSpan);
        }

        return null;
    }

    private static SimError? ParseMetadata(ref Utf8JsonReader reader, ChatRequest request)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.InvalidType("metadata", "an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sim_answer"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    request.SimAnswer = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return null;
    }

    private static SimError? Validate(ChatRequest request, bool requireModel)
    {
        if (request.Model is null && requireModel)
        {
            return SimError.MissingModel;
        }

        if (request.N is < 1 or > 128)
        {
            return SimError.NOutOfRange(request.N);
        }

        if (request.TopLogprobs is < 0 or > 20)
        {
            return SimError.InvalidValue("top_logprobs", $"expected a value between 0 and 20, but got {request.TopLogprobs} instead.");
        }

        if (request.TopLogprobs > 0 && !request.Logprobs)
        {
            return SimError.InvalidValue("top_logprobs", "'logprobs' must be set to true if 'top_logprobs' is used.");
        }

        return request.StreamOptionsPresent && !request.Stream ? SimError.StreamOptionsWithoutStream : null;
    }
}
