// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Charter.Forwarding;

namespace Charter.Storage;

/// <summary>Replaces the prompt (messages or input) of a stored request body by its SHA-256 unless content retention is on.</summary>
public static class RequestRedactor
{
    /// <summary>Returns the body to store.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="endpoint">Endpoint (chooses the parser when the messages' place is unknown).</param>
    /// <param name="sha256">SHA-256 (hex) of the messages.</param>
    /// <param name="retainContent">Store the body as it is.</param>
    /// <param name="messagesStart">Where the messages start in <paramref name="body"/> when the gateway already parsed it; -1 to parse.</param>
    /// <param name="messagesLength">Their length.</param>
    public static string Redact(ReadOnlySpan<byte> body, string? endpoint, string? sha256, bool retainContent, int messagesStart = -1, int messagesLength = 0)
    {
        if (retainContent)
        {
            return Encoding.UTF8.GetString(body);
        }

        if (messagesStart < 0 || messagesStart + messagesLength > body.Length)
        {
            var parse = endpoint == "embeddings" ? RequestParser.ParseEmbeddings(body, out var parsed) : RequestParser.ParseChat(body, out parsed);
            if (!parse.Success)
            {
                return "{\"redacted\":true}";
            }

            (messagesStart, messagesLength) = (parsed.MessagesStart, parsed.MessagesLength);
        }

        if (messagesLength == 0)
        {
            return "{\"redacted\":true}";
        }

        // head + "sha256:<hex>" + tail, decoded straight into one rented buffer.
        var head = body[..messagesStart];
        var tail = body[(messagesStart + messagesLength)..];
        sha256 ??= "";
        var rented = ArrayPool<char>.Shared.Rent(head.Length + tail.Length + sha256.Length + 9);
        try
        {
            var chars = rented.AsSpan();
            var n = Encoding.UTF8.GetChars(head, chars);
            "\"sha256:".CopyTo(chars[n..]);
            n += 8;
            sha256.CopyTo(chars[n..]);
            n += sha256.Length;
            chars[n++] = '"';
            n += Encoding.UTF8.GetChars(tail, chars[n..]);
            return new string(chars[..n]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
