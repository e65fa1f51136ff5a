// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fields of an embeddings request the simulator uses.</summary>
internal sealed class EmbeddingRequest
{
    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    public string? Model { get; set; }

    /// <summary>Requested size; -1 means the model's default.</summary>
    public int Dimensions { get; set; } = -1;

    public bool Base64 { get; set; }

    /// <summary>Hash and token count of every input, in order.</summary>
    public List<(ulong Hash, int Tokens)> Inputs { get; } = [];

    public static SimError? Parse(in ReadOnlySequence<byte> body, EmbeddingRequest request, bool requireModel = true)
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

                    request.Model = KnownModels.GetString(ref reader);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    sawInput = true;
                    error = ParseInput(ref reader, request, scratch);
                }
                else if (reader.ValueTextEquals("dimensions"u8))
                {
                    var value = int.MinValue; // stays so for null: the model's own size
                    error = JsonRead.ReadInt(ref reader, "dimensions", ref value);
                    if (error is null && value != int.MinValue && value is < 1 or > 8192)
                    {
                        error = SimError.InvalidValue("dimensions", "expected a value between 1 and 8192.");
                    }

                    request.Dimensions = value == int.MinValue ? -1 : value;
                }
                else if (reader.ValueTextEquals("encoding_format"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("base64"u8))
                    {
                        request.Base64 = true;
                    }
                    else if (reader.TokenType != JsonTokenType.Null && !(reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("float"u8)))
                    {
                        error = SimError.InvalidValue("encoding_format", "expected 'float' or 'base64'.");
                    }
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

            if (request.Model is null && requireModel)
            {
                return SimError.MissingModel;
            }

            if (!sawInput)
            {
                return SimError.Missing("input");
            }

            return request.Inputs.Count == 0
                ? SimError.InvalidValue("input", "expected a non-empty string or array.")
                : null;
        }
        catch (JsonException)
        {
            return SimError.Malformed;
        }
        finally
        {
            scratch.Clear();
        }
    }

    private static SimError? ParseInput(ref Utf8JsonReader reader, EmbeddingRequest request, PooledBufferWriter scratch)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return AddString(ref reader, request, scratch);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return SimError.InvalidType("input", "a string or an array");
        }

        var tokenHash = SimHash.Offset;
        var tokenCount = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var error = AddString(ref reader, request, scratch);
                    if (error is not null)
                    {
                        return error;
                    }

                    break;
                case JsonTokenType.Number:
                    tokenHash = SimHash.Add(tokenHash, (ulong)reader.GetInt64());
                    tokenCount++;
                    break;
                case JsonTokenType.StartArray:
                    var hash = SimHash.Offset;
                    var count = 0;
                    while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                    {
                        hash = SimHash.Add(hash, (ulong)reader.GetInt64());
                        count++;
                    }

                    if (reader.TokenType != JsonTokenType.EndArray || count == 0)
                    {
                        return SimError.InvalidType("input", "an array of integer arrays");
                    }

                    request.Inputs.Add((SimHash.Mix(hash), count));
                    break;
                default:
                    return SimError.InvalidType("input", "a string, an array of strings or an array of integers");
            }
        }

        if (tokenCount > 0)
        {
            request.Inputs.Add((SimHash.Mix(tokenHash), tokenCount));
        }

        return request.Inputs.Count > 2048
            ? SimError.InvalidValue("input", "at most 2048 inputs are allowed.")
            : null;
    }

    private static SimError? AddString(ref Utf8JsonReader reader, EmbeddingRequest request, PooledBufferWriter scratch)
    {
        scratch.Clear();
        JsonRead.AppendString(ref reader, scratch);
        if (scratch.WrittenCount == 0)
        {
            return SimError.InvalidValue("input", "an input string must not be empty.");
        }

        request.Inputs.Add((SimHash.Mix(SimHash.Add(SimHash.Offset, scratch.WrittenSpan)), Math.Max(1, (scratch.WrittenCount + 3) / 4)));
        return null;
    }
}
