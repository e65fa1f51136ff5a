// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Anthropic;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Messages;

/// <summary><c>/v1/messages</c> driven by the official <c>@anthropic-ai/sdk</c> npm package (test/js/anthropic-client.mjs),
/// the library Claude Code and most Anthropic tooling are built on.</summary>
public sealed class MessagesJsSdkTests
{
    [Theory]
    [InlineData("anthropic")] // passed through
    [InlineData("openai-compatible")] // translated to chat completions and back
    public async Task Basics_EitherAccount_MessageStreamAndErrorClassesAsTheSdkExpects(string account)
    {
        var anthropic = account == "anthropic";
        await using var gw = await TestGateway.StartAsync(anthropic ? AnthropicAccount.Settings(null) : ChatAccount.Settings(null, account));
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAnthropicAsync(gw, key, "basics", anthropic ? AnthropicAccount.Model : ChatAccount.Model);

        var message = result.GetProperty("message");
        Assert.Equal(("message", "assistant"), (message.GetProperty("type").GetString(), message.GetProperty("role").GetString()));
        var text = message.GetProperty("text").GetString();
        Assert.False(string.IsNullOrEmpty(text));
        var stream = result.GetProperty("stream");
        Assert.Equal(text, stream.GetProperty("text").GetString()); // the stream helper rebuilt the same answer from the relayed events
        Assert.True(stream.GetProperty("events").GetInt32() >= 4);
        Assert.Equal(message.GetProperty("stop").GetString(), stream.GetProperty("stop").GetString());
        Assert.Equal(message.GetProperty("usage").GetProperty("output_tokens").GetInt32(), stream.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        var errors = result.GetProperty("errors");
        AssertError(errors.GetProperty("unknownKey"), "AuthenticationError", 401, "authentication_error");
        AssertError(errors.GetProperty("unknownModel"), "NotFoundError", 404, "not_found_error");
        AssertError(errors.GetProperty("noMaxTokens"), "BadRequestError", 400, "invalid_request_error");
        Assert.Equal("max_tokens", errors.GetProperty("noMaxTokens").GetProperty("param").GetString());
        Assert.Equal(2, anthropic ? gw.Simulator.RequestCountFor("anthropic", "messages") : gw.Simulator.RequestCountFor("openai", "chat_completions"));
        // the refusals never left the gateway
    }

    private static void AssertError(JsonElement error, string kind, int status, string type)
    {
        Assert.Equal(kind, error.GetProperty("kind").GetString());
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Equal(type, error.GetProperty("type").GetString());
    }
}
