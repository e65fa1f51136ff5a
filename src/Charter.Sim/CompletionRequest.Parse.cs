// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>One-pass parsing and validation of a legacy completions body (no DOM, no DTO, a thread-static scratch buffer).</summary>
/// <remarks>Wrong types and out-of-range values are 400s naming the member, worded like the chat route's; members the simulator
/// does not know are skipped, as the chat route does.</remarks>
internal sealed partial class CompletionRequest
{
    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    /// <summary>Parses <paramref name="body"/>; returns an error for malformed or invalid requests.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="request">Receives the members.</param>
    /// <param name="requireModel">False on Azure classic routes, where the deployment in the path is the model.</param>
    public static SimError? Parse(in ReadOnlySequence<byte> body, CompletionRequest request, bool requireModel = true)
    {
        var scratch = t_scratch ??= new PooledBufferWriter(4096);
        scratch.Clear();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            var error = ParseRoot(ref reader, request, scratch);
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
            PooledBufferWriter.ReleaseIfLarge(ref t_scratch);
        }

        return Validate(request, requireModel);
    }

    private static SimError? ParseRoot(ref Utf8JsonReader reader, CompletionRequest request, PooledBufferWriter scratch)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return SimError.Malformed;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var error = ParseMember(ref reader, request, scratch);
            if (error is not null)
            {
                return error;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? null : SimError.Malformed;
    }

    private static SimError? ParseMember(ref Utf8JsonReader reader, CompletionRequest request, PooledBufferWriter scratch)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return SimError.InvalidType("model", "a string");
            }

            request.Model = KnownModels.GetString(ref reader);
            return null;
        }

        if (reader.ValueTextEquals("prompt"u8))
        {
            request.SawPrompt = true;
            return ParsePrompt(ref reader, request, scratch);
        }

        if (reader.ValueTextEquals("max_tokens"u8))
        {
            var value = DefaultMaxTokens;
            var error = JsonRead.ReadInt(ref reader, "max_tokens", ref value);
            request.MaxTokens = value;
            return error;
        }

        if (reader.ValueTextEquals("n"u8))
        {
            var value = 1;
            var error = JsonRead.ReadInt(ref reader, "n", ref value);
            request.N = value;
            return error;
        }

        if (reader.ValueTextEquals("best_of"u8))
        {
            var value = int.MinValue; // stays so for null: absent
            var error = JsonRead.ReadInt(ref reader, "best_of", ref value);
            request.BestOf = value == int.MinValue ? null : value;
            return error;
        }

        if (reader.ValueTextEquals("logprobs"u8))
        {
            var value = -1;
            var error = JsonRead.ReadInt(ref reader, "logprobs", ref value);
            if (error is null && reader.TokenType != JsonTokenType.Null && value is < 0 or > MaxLogprobs)
            {
                return SimError.InvalidValue("logprobs", string.Create(CultureInfo.InvariantCulture, $"expected a value between 0 and {MaxLogprobs}, but got {value} instead."));
            }

            request.Logprobs = value;
            return error;
        }

        if (reader.ValueTextEquals("echo"u8))
        {
            var value = false;
            var error = JsonRead.ReadBool(ref reader, "echo", ref value);
            request.Echo = value;
            return error;
        }

        if (reader.ValueTextEquals("stream"u8))
        {
            var value = false;
            var error = JsonRead.ReadBool(ref reader, "stream", ref value);
            request.Stream = value;
            return error;
        }

        if (reader.ValueTextEquals("stream_options"u8))
        {
            var (present, includeUsage) = (false, false);
            var error = JsonRead.ReadStreamOptions(ref reader, ref present, ref includeUsage);
            (request.StreamOptionsPresent, request.IncludeUsage) = (present, includeUsage);
            return error;
        }

        return ParseSampling(ref reader);
    }

    /// <summary>Members accepted and checked for type and range, but without effect on the answer.</summary>
    private static SimError? ParseSampling(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("temperature"u8))
        {
            return JsonRead.ReadNumberInRange(ref reader, "temperature", 0, 2, out _);
        }

        if (reader.ValueTextEquals("top_p"u8))
        {
            return JsonRead.ReadNumberInRange(ref reader, "top_p", 0, 1, out _);
        }

        if (reader.ValueTextEquals("frequency_penalty"u8))
        {
            return JsonRead.ReadNumberInRange(ref reader, "frequency_penalty", -2, 2, out _);
        }

        if (reader.ValueTextEquals("presence_penalty"u8))
        {
            return JsonRead.ReadNumberInRange(ref reader, "presence_penalty", -2, 2, out _);
        }

        if (reader.ValueTextEquals("seed"u8))
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _))
                ? null
                : SimError.InvalidType("seed", "an integer");
        }

        if (reader.ValueTextEquals("stop"u8))
        {
            return ParseStop(ref reader);
        }

        if (reader.ValueTextEquals("suffix"u8))
        {
            return ReadOptionalString(ref reader, "suffix");
        }

        if (reader.ValueTextEquals("user"u8))
        {
            return ReadOptionalString(ref reader, "user");
        }

        if (reader.ValueTextEquals("logit_bias"u8))
        {
            return ParseLogitBias(ref reader);
        }

        reader.Skip();
        return null;
    }

    private static SimError? Validate(CompletionRequest request, bool requireModel)
    {
        if (request.Model is null && requireModel)
        {
            return SimError.MissingModel;
        }

        if (!request.SawPrompt)
        {
            return SimError.Missing("prompt");
        }

        if (request.MaxTokens < 0)
        {
            return SimError.InvalidValue("max_tokens", "integer below minimum value. Expected a value >= 0.");
        }

        if (request.N is < 1 or > 128)
        {
            return SimError.NOutOfRange(request.N);
        }

        if (request.BestOf is { } bestOf)
        {
            if (bestOf > MaxBestOf)
            {
                return SimError.InvalidValue("best_of", string.Create(CultureInfo.InvariantCulture, $"expected a value <= {MaxBestOf}, but got {bestOf} instead."));
            }

            if (bestOf < request.N)
            {
                return SimError.InvalidValue("best_of", string.Create(CultureInfo.InvariantCulture, $"'best_of' must be greater than or equal to 'n' ({request.N}), but got {bestOf} instead."));
            }

            // best_of 1 is the default and generates nothing extra, so it streams like an absent best_of.
            if (bestOf > 1 && request.Stream)
            {
                return SimError.InvalidValue("best_of", "results cannot be streamed when 'best_of' is greater than 1.");
            }
        }

        return request.StreamOptionsPresent && !request.Stream ? SimError.StreamOptionsWithoutStream : null;
    }
}
