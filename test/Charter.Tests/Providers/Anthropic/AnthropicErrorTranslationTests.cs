// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Tests.Providers.Anthropic;

public sealed class AnthropicErrorTranslationTests
{
    private static (int Status, JsonElement Error) Translate(int status, string body)
    {
        var output = new ArrayBufferWriter<byte>();
        var clientStatus = AnthropicResponseTranslator.TranslateError(status, Encoding.UTF8.GetBytes(body), output);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        var root = document.RootElement.Clone();
        OpenAiShapes.AssertError(root);
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["message", "type", "param", "code"], root.GetProperty("error").EnumerateObject().Select(p => p.Name));
        return (clientStatus, root.GetProperty("error"));
    }

    [Theory]
    [InlineData(400, "invalid_request_error", 400, "invalid_request_error")]
    [InlineData(401, "authentication_error", 401, "invalid_api_key")]
    [InlineData(402, "billing_error", 402, "billing_error")]
    [InlineData(403, "permission_error", 403, "permission_denied")]
    [InlineData(404, "not_found_error", 404, "model_not_found")]
    [InlineData(413, "request_too_large", 413, "request_too_large")]
    [InlineData(429, "rate_limit_error", 429, "rate_limit_exceeded")]
    [InlineData(500, "api_error", 500, "api_error")]
    [InlineData(504, "timeout_error", 504, "timeout_error")]
    [InlineData(529, "overloaded_error", 503, "overloaded")]
    public void TranslateError_AnthropicErrorType_KeptAsTypeWithOpenAiCode(int status, string type, int expectedStatus, string code)
    {
        var body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Upstream says no.\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";

        var (clientStatus, error) = Translate(status, body);

        Assert.Equal(expectedStatus, clientStatus);
        Assert.Equal("Upstream says no.", error.GetProperty("message").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public void TranslateError_MessageWithEscapes_KeptExactly()
    {
        var (_, error) = Translate(400, """{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content: \"text\" must be non-empty \u00e9\n"}}""");

        Assert.Equal("messages.0.content: \"text\" must be non-empty é\n", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(502, "<html><body>Bad Gateway</body></html>", 502, "api_error")]
    [InlineData(529, "", 503, "overloaded_error")]
    [InlineData(429, "{\"unexpected\":true}", 429, "rate_limit_error")]
    [InlineData(500, "{\"error\":\"a string\"}", 500, "api_error")]
    [InlineData(401, "{\"type\":\"error\",\"error\":", 401, "authentication_error")]
    public void TranslateError_NoReadableError_GenericMessageNamingTheStatus(int status, string body, int expectedStatus, string type)
    {
        var (clientStatus, error) = Translate(status, body);

        Assert.Equal(expectedStatus, clientStatus);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(type, error.GetProperty("type").GetString());
    }

    [Fact]
    public void TranslateError_TypeWithoutMessage_TypeKeptMessageGeneric()
    {
        var (_, error) = Translate(429, """{"error":{"type":"rate_limit_error"}}""");

        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("429", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
