// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Charter.Errors;

/// <summary>Writes Charter's own errors on the <c>/v1/messages</c> endpoint in Anthropic's error shape:
/// <c>{"type":"error","error":{"type","message"}}</c>, which the Anthropic SDKs map to their exception types by status.</summary>
/// <remarks>The status is the one <see cref="ErrorInfo"/> gives (the same as on the OpenAI endpoints); the error type is
/// Anthropic's for that status. Charter's <c>code</c>, <c>param</c> and policy <c>rule</c> are added inside <c>error</c>, where
/// the SDKs keep them in the body they hand over.</remarks>
public static class AnthropicErrorWriter
{
    /// <summary>Writes the error body and status.</summary>
    public static Task WriteAsync(HttpContext context, CharterError error, string message, string? param = null, string? rule = null, string? codeOverride = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var info = ErrorInfo.For(error);
        return context.Response.HasStarted ? Task.CompletedTask
            : OpenAiErrorWriter.WriteBodyAsync(context, info.Status, Serialize(info.Status, message, param, codeOverride ?? info.Code, rule));
    }

    /// <summary>Anthropic's error type for an HTTP status.</summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>Serialises an Anthropic-shaped error body.</summary>
    public static byte[] Serialize(int status, string message, string? param, string? code, string? rule = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, TypeFor(status));
            writer.WriteString("message"u8, message);
            if (code is not null)
            {
                writer.WriteString("code"u8, code);
            }

            if (param is not null)
            {
                writer.WriteString("param"u8, param);
            }

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
