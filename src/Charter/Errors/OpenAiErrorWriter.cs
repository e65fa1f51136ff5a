// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Charter.Errors;

/// <summary>Writes errors in OpenAI's error shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAiErrorWriter
{
    /// <summary>Writes the error body and status; extra fields (e.g. <c>rule</c>) are added inside <c>error</c>.</summary>
    public static Task WriteAsync(HttpContext context, CharterError error, string message, string? param = null, string? rule = null, string? codeOverride = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var info = ErrorInfo.For(error);
        return context.Response.HasStarted ? Task.CompletedTask
            : WriteBodyAsync(context, info.Status, Serialize(message, info.Type, param, codeOverride ?? info.Code, rule));
    }

    /// <summary>Writes an error body of any shape with its status, unless the response has begun.</summary>
    internal static Task WriteBodyAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Serialises an OpenAI-shaped error body.</summary>
    public static byte[] Serialize(string message, string type, string? param, string? code, string? rule = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error"u8);
            writer.WriteString("message"u8, message);
            writer.WriteString("type"u8, type);
            if (param is null) { writer.WriteNull("param"u8); } else { writer.WriteString("param"u8, param); }
            if (code is null) { writer.WriteNull("code"u8); } else { writer.WriteString("code"u8, code); }
            if (rule is not null)
            {
                writer.WriteString("rule"u8, rule);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
