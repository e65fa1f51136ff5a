// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Forwarding;

namespace Charter.Storage;

/// <summary>Replaces the prompt (messages or input) of a stored request body by its SHA-256 unless content retention is on.</summary>
public static class RequestRedactor
{
    /// <summary>Returns the body to store.</summary>
    public static string Redact(ReadOnlySpan<byte> body, string? endpoint, string? sha256, bool retainContent)
    {
        if (retainContent)
        {
            return Encoding.UTF8.GetString(body);
        }

        var parse = endpoint == "embeddings" ? RequestParser.ParseEmbeddings(body, out var parsed) : RequestParser.ParseChat(body, out parsed);
        if (!parse.Success || parsed.MessagesLength == 0)
        {
            return "{\"redacted\":true}";
        }

        var sb = new StringBuilder(body.Length);
        sb.Append(Encoding.UTF8.GetString(body[..parsed.MessagesStart]));
        sb.Append("\"sha256:").Append(sha256).Append('"');
        sb.Append(Encoding.UTF8.GetString(body[(parsed.MessagesStart + parsed.MessagesLength)..]));
        return sb.ToString();
    }
}
