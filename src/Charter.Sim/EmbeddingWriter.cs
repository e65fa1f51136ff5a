// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Writes deterministic unit-length embeddings.</summary>
internal static class EmbeddingWriter
{
    /// <summary>Writes the <c>list</c> response of an embeddings request.</summary>
    public static void Write(Utf8JsonWriter w, EmbeddingRequest request, string model, ulong seed)
    {
        var dimensions = request.Dimensions > 0 ? request.Dimensions : KnownModels.DefaultDimensions(model);
        var vector = ArrayPool<float>.Shared.Rent(dimensions);
        try
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "list"u8);
            w.WriteStartArray("data"u8);
            var tokens = 0;
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var (hash, count) = request.Inputs[i];
                tokens += count;
                var span = vector.AsSpan(0, dimensions);
                Fill(span, SimHash.Combine(hash, seed));
                w.WriteStartObject();
                w.WriteString("object"u8, "embedding"u8);
                w.WriteNumber("index"u8, i);
                if (request.Base64)
                {
                    w.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes((ReadOnlySpan<float>)span));
                }
                else
                {
                    w.WriteStartArray("embedding"u8);
                    foreach (var value in span)
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model"u8, model);
            w.WriteStartObject("usage"u8);
            w.WriteNumber("prompt_tokens"u8, tokens);
            w.WriteNumber("total_tokens"u8, tokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }
    }

    /// <summary>Fills <paramref name="vector"/> with a deterministic unit vector (little-endian float32 when base64).</summary>
    public static void Fill(Span<float> vector, ulong seed)
    {
        var sum = 0.0;
        var state = seed;
        for (var i = 0; i < vector.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var value = (float)((SimHash.Unit(SimHash.Mix(state)) * 2.0) - 1.0);
            vector[i] = value;
            sum += value * value;
        }

        var scale = sum > 0 ? (float)(1.0 / Math.Sqrt(sum)) : 0f;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }
}
