// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Messages;

namespace Charter.Tests.Providers.Messages;

public sealed class ChatToMessagesErrorTests
{
    private static (int Status, string Type, string Message) Translate(int status, string body)
    {
        var output = new ArrayBufferWriter<byte>();
        var clientStatus = ChatToMessagesError.Translate(status, Encoding.UTF8.GetBytes(body), output);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        MessagesShapes.AssertError(document.RootElement);
        var error = document.RootElement.GetProperty("error");
        return (clientStatus, error.GetProperty("type").GetString()!, error.GetProperty("message").GetString()!);
    }

    [Theory]
    [InlineData(400, 400, "invalid_request_error")]
    [InlineData(401, 401, "authentication_error")]
    [InlineData(402, 402, "billing_error")]
    [InlineData(403, 403, "permission_error")]
    [InlineData(404, 404, "not_found_error")]
    [InlineData(408, 408, "invalid_request_error")]
    [InlineData(409, 409, "invalid_request_error")]
    [InlineData(413, 413, "request_too_large")]
    [InlineData(422, 422, "invalid_request_error")]
    [InlineData(429, 429, "rate_limit_error")]
    [InlineData(500, 502, "api_error")]
    [InlineData(502, 502, "api_error")]
    [InlineData(503, 503, "overloaded_error")]
    [InlineData(504, 502, "timeout_error")]
    [InlineData(529, 502, "overloaded_error")]
    [InlineData(599, 502, "api_error")]
    public void Translate_Status_TypeAndClientStatus(int status, int clientStatus, string type)
    {
        var body = "{\"error\":{\"message\":\"Upstream says no.\",\"type\":\"whatever\",\"param\":null,\"code\":\"some_code\"}}";

        var (s, t, message) = Translate(status, body);

        Assert.Equal(clientStatus, s);
        Assert.Equal(type, t);
        Assert.Equal("Upstream says no.", message);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(0)]
    [InlineData(600)]
    public void Translate_StatusThatIsNoError_502ApiError(int status)
    {
        var (s, t, message) = Translate(status, "{\"error\":{\"message\":\"odd\"}}");

        Assert.Equal(502, s);
        Assert.Equal("api_error", t);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_MessageWithEscapes_KeptExactly()
    {
        var (_, _, message) = Translate(400, """{"error":{"message":"This model's maximum context length is 128000 tokens. \"messages\" \u00e9\n","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");

        Assert.Equal("This model's maximum context length is 128000 tokens. \"messages\" é\n", message);
    }

    [Theory]
    [InlineData("""{"error":"model 'llama9' not found"}""", "model 'llama9' not found")]
    [InlineData("""{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}""", "The model `x` does not exist.")]
    [InlineData("""{"detail":"Not Found"}""", "Not Found")]
    [InlineData(" \n{\"error\":{\"message\":\"padded\"}}\n", "padded")]
    [InlineData("""{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""", "The API deployment for this resource does not exist.")]
    public void Translate_OtherServersErrorShapes_MessageFound(string body, string expected)
    {
        var (_, _, message) = Translate(404, body);

        Assert.Equal(expected, message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Bad Gateway</body></html>")]
    [InlineData("{\"error\":{\"message\":\"\"}}")]
    [InlineData("{\"error\":{\"message\":42}}")]
    [InlineData("{\"unexpected\":true}")]
    [InlineData("{\"error\":")]
    public void Translate_NoReadableMessage_MessageNamesTheStatus(string body)
    {
        var (s, t, message) = Translate(500, body);

        Assert.Equal(502, s);
        Assert.Equal("api_error", t);
        Assert.Contains("500", message, StringComparison.Ordinal);
    }
}
