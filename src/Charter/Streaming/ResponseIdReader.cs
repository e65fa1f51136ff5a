// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Streaming;

/// <summary>Reads the <c>id</c> of a Responses API answer: at the top of a whole answer, under <c>response</c> in a stream
/// event.</summary>
public static class ResponseIdReader
{
    /// <summary>The top-level string <c>id</c> of <paramref name="json"/>, or null.</summary>
    public static string? TopLevel(ReadOnlySpan<byte> json) => Read(json, default);

    /// <summary>The string <c>id</c> of the top-level object member <paramref name="member"/> of <paramref name="json"/>, or null.</summary>
    public static string? Under(ReadOnlySpan<byte> json, ReadOnlySpan<byte> member) => member.IsEmpty ? null : Read(json, member);

    private static string? Read(ReadOnlySpan<byte> json, ReadOnlySpan<byte> member)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            if (!member.IsEmpty)
            {
                if (!MoveTo(ref reader, member) || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
            }

            // "id" comes first in the answers providers send: usually found at once.
            return MoveTo(ref reader, "id"u8) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // Moves to the value of the member named name in the object the reader is in; false at its end.
    private static bool MoveTo(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(name);
            reader.Read();
            if (found)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
