// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fields of a moderation request (spec <c>CreateModerationRequest</c>) the simulator uses.</summary>
/// <remarks>
/// <c>input</c> is a string, an array of strings (one result each) or an array of multi-modal parts
/// (<c>{"type":"text","text"}</c>, <c>{"type":"image_url","image_url":{"url"}}</c>; one result for the whole array, as OpenAI
/// gives). Unknown members, of the request and of a part, are skipped, as the embeddings route does.
/// </remarks>
internal sealed partial class ModerationRequest
{
    /// <summary>The spec's default <c>model</c>.</summary>
    public const string DefaultModel = "omni-moderation-latest";

    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    public string Model { get; set; } = DefaultModel;

    /// <summary>One entry per result, in order.</summary>
    public List<ModerationInput> Inputs { get; } = [];

    public static SimError? Parse(in ReadOnlySequence<byte> body, ModerationRequest request)
    {
        var scratch = t_scratch ??= new PooledBufferWriter(4096);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SimError.Malformed;
            }

            var sawInput = false;
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

                    request.Model = reader.ValueTextEquals(DefaultModel) ? DefaultModel : KnownModels.GetString(ref reader);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    sawInput = true;
                    error = ParseInput(ref reader, request, scratch);
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

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return SimError.Malformed;
            }

            return sawInput ? null : SimError.Missing("input");
        }
        catch (JsonException)
        {
            return SimError.Malformed;
        }
        finally
        {
            scratch.Clear();
            PooledBufferWriter.ReleaseIfLarge(ref t_scratch);
        }
    }

    private static SimError? ParseInput(ref Utf8JsonReader reader, ModerationRequest request, PooledBufferWriter scratch)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            request.Inputs.Add(ReadText(ref reader, scratch));
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("input", "a string, an array of strings or an array of objects");
        }

        var index = 0;
        var parts = new PartsAccumulator();
        var strings = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            SimError? error = null;
            if (reader.TokenType == JsonTokenType.String && !parts.Any)
            {
                strings = true;
                request.Inputs.Add(ReadText(ref reader, scratch));
            }
            else if (reader.TokenType == JsonTokenType.StartObject && !strings)
            {
                error = ParsePart(ref reader, index, scratch, ref parts);
            }
            else
            {
                error = SimError.InvalidType(Param(index), strings ? "a string" : parts.Any ? "an object" : "a string or an object");
            }

            if (error is not null)
            {
                return error;
            }

            index++;
        }

        if (index == 0)
        {
            return new SimError(
                400,
                "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "invalid_request_error",
                "input",
                "empty_array");
        }

        if (parts.Any)
        {
            request.Inputs.Add(parts.ToInput());
        }

        return null;
    }

    /// <summary>Reads the current string token: its hash (the same for a string input and a lone text part) and markers.</summary>
    private static ModerationInput ReadText(ref Utf8JsonReader reader, PooledBufferWriter scratch)
    {
        scratch.Clear();
        JsonRead.AppendString(ref reader, scratch);
        var text = scratch.WrittenSpan;
        return new ModerationInput(SimHash.Mix(SimHash.Add(SimHash.Offset, text)), ModerationCategories.Scan(text), HasText: true, HasImage: false);
    }

    /// <summary><c>input[index]</c>, for an error.</summary>
    private static string Param(int index) => string.Create(CultureInfo.InvariantCulture, $"input[{index}]");
}
