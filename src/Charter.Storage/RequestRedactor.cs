// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Charter.Forwarding;

namespace Charter.Storage;

/// <summary>Replaces the prompt (messages, input or prompt, and a Responses body's instructions, a legacy completion's suffix or
/// an Anthropic Messages body's system prompt) of a stored request body by its SHA-256 unless content retention is on.</summary>
public static class RequestRedactor
{
    private static ReadOnlySpan<byte> Redacted => "{\"redacted\":true}"u8;

    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <summary>Returns the body to store.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="endpoint">Endpoint (chooses the parser when the messages' place is unknown).</param>
    /// <param name="sha256">SHA-256 (hex) of the messages.</param>
    /// <param name="retainContent">Store the body as it is.</param>
    /// <param name="messagesStart">Where the messages start in <paramref name="body"/> when the gateway already parsed it; -1 to parse.</param>
    /// <param name="messagesLength">Their length.</param>
    public static string Redact(ReadOnlySpan<byte> body, string? endpoint, string? sha256, bool retainContent, int messagesStart = -1, int messagesLength = 0)
        => Redact(body, endpoint, sha256, retainContent, out _, messagesStart, messagesLength);

    /// <summary>Returns the body to store, and whether it carries <paramref name="sha256"/> in place of the messages.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="endpoint">Endpoint (chooses the parser when the messages' place is unknown).</param>
    /// <param name="sha256">SHA-256 (hex) of the messages.</param>
    /// <param name="retainContent">Store the body as it is.</param>
    /// <param name="hashInBody">Whether the returned text holds <c>"sha256:&lt;hex&gt;"</c> where the messages were.</param>
    /// <param name="messagesStart">Where the messages start in <paramref name="body"/> when the gateway already parsed it; -1 to parse.</param>
    /// <param name="messagesLength">Their length.</param>
    public static string Redact(ReadOnlySpan<byte> body, string? endpoint, string? sha256, bool retainContent, out bool hashInBody, int messagesStart = -1, int messagesLength = 0)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 80);
        hashInBody = RedactUtf8(body, endpoint, sha256, retainContent, output, messagesStart, messagesLength);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the body to store into <paramref name="output"/> as UTF-8 (for a store that binds UTF-8 text without a string).</summary>
    /// <remarks>Bytes that are not UTF-8 come out as U+FFFD, as decoding them into a string would.</remarks>
    /// <param name="body">The request body.</param>
    /// <param name="endpoint">Endpoint (chooses the parser when the messages' place is unknown).</param>
    /// <param name="sha256">SHA-256 (hex) of the messages.</param>
    /// <param name="retainContent">Store the body as it is.</param>
    /// <param name="output">Receives the text.</param>
    /// <param name="messagesStart">Where the messages start in <paramref name="body"/> when the gateway already parsed it; -1 to parse.</param>
    /// <param name="messagesLength">Their length.</param>
    /// <returns>Whether the text holds <c>"sha256:&lt;hex&gt;"</c> where the messages were (false when the content is
    /// retained, when there is no hash, and when the body did not parse and became <c>{"redacted":true}</c>).</returns>
    public static bool RedactUtf8(ReadOnlySpan<byte> body, string? endpoint, string? sha256, bool retainContent, IBufferWriter<byte> output, int messagesStart = -1, int messagesLength = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (retainContent)
        {
            WriteText(output, body);
            return false;
        }

        if (!IsMessagesValue(body, messagesStart, messagesLength))
        {
            var parse = RequestParser.ParseFor(endpoint, body, out var parsed);
            if (!parse.Success)
            {
                output.Write(Redacted);
                return false;
            }

            (messagesStart, messagesLength) = (parsed.MessagesStart, parsed.MessagesLength);
        }

        if (messagesLength == 0)
        {
            output.Write(Redacted);
            return false;
        }

        // A Responses body has a second prompt: its instructions (a system message); a legacy completion may have one too, its
        // suffix (the text after the insertion), and an Anthropic Messages body its system prompt (a string or text blocks).
        // Each is replaced by its own hash.
        var (instructionsStart, instructionsLength) = endpoint switch
        {
            "responses" => FindString(body, "instructions"u8),
            "completions" => FindString(body, "suffix"u8),
            "messages" or "messages.count_tokens" => FindString(body, "system"u8, orArray: true),
            _ => (-1, 0),
        };
        var instructionsFirst = instructionsStart >= 0 && instructionsStart < messagesStart;
        var pos = 0;
        if (instructionsFirst)
        {
            pos = WriteInstructionsHash(output, body, pos, instructionsStart, instructionsLength);
        }

        // head + "sha256:<hex>" + tail. The messages' bounds are JSON token boundaries, so head and tail are whole text.
        WriteText(output, body[pos..messagesStart]);
        output.Write("\"sha256:"u8);
        var hex = (sha256 ?? "").AsSpan();
        var span = output.GetSpan(hex.Length);
        var n = Encoding.UTF8.GetBytes(hex, span);
        output.Advance(n);
        output.Write("\""u8);
        pos = messagesStart + messagesLength;
        if (instructionsStart >= 0 && !instructionsFirst)
        {
            pos = WriteInstructionsHash(output, body, pos, instructionsStart, instructionsLength);
        }

        WriteText(output, body[pos..]);
        return n > 0;
    }

    // Writes body[pos..start] and "sha256:<hex>" of the instructions' JSON value; returns where the text goes on.
    private static int WriteInstructionsHash(IBufferWriter<byte> output, ReadOnlySpan<byte> body, int pos, int start, int length)
    {
        WriteText(output, body[pos..start]);
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(body.Slice(start, length), digest);
        output.Write("\"sha256:"u8);
        var span = output.GetSpan(64);
        Convert.TryToHexStringLower(digest, span, out var written);
        output.Advance(written);
        output.Write("\""u8);
        return start + length;
    }

    // The top-level string member <name> (a Responses body's instructions, a completion's suffix; with orArray, an array too:
    // a Messages body's system blocks); (-1, 0) when absent, null or of another type.
    private static (int Start, int Length) FindString(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, bool orArray = false)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (-1, 0);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isInstructions = reader.ValueTextEquals(name);
                reader.Read();
                if (isInstructions)
                {
                    var start = (int)reader.TokenStartIndex;
                    if (orArray && reader.TokenType == JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        return (start, (int)reader.BytesConsumed - start);
                    }

                    return reader.TokenType == JsonTokenType.String ? (start, (int)(reader.BytesConsumed - start)) : (-1, 0);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The gateway parsed it before forwarding; a body that does not parse now keeps no instructions to find.
        }

        return (-1, 0);
    }

    // Bounds the gateway found (in memory, or journaled with the event) are used only when they frame an array or a string
    // that is the value of a "messages", "input" or "prompt" member; anything else, and the body is parsed again, so that a wrong
    // bound cannot make the store keep the prompt and replace something else.
    private static bool IsMessagesValue(ReadOnlySpan<byte> body, int start, int length)
    {
        if (start < 0 || length < 2 || start > body.Length - length)
        {
            return false;
        }

        var (first, last) = (body[start], body[start + length - 1]);
        if (!((first == (byte)'[' && last == (byte)']') || (first == (byte)'"' && last == (byte)'"')))
        {
            return false;
        }

        var head = body[..start].TrimEnd(Whitespace);
        if (head.IsEmpty || head[^1] != (byte)':')
        {
            return false;
        }

        head = head[..^1].TrimEnd(Whitespace);
        return head.EndsWith("\"messages\""u8) || head.EndsWith("\"input\""u8) || head.EndsWith("\"prompt\""u8);
    }

    private static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            output.Write(utf8);
            return;
        }

        // Not UTF-8 (the gateway refuses such bodies; a record may still carry one): replace what does not decode.
        var text = Encoding.UTF8.GetString(utf8);
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
