// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Tests.Providers.Messages;

/// <summary>The members and JSON kinds of Anthropic's <c>Message</c> and error body (anthropic-sdk-python
/// <c>types/message.py</c>, <c>types/shared/error_response.py</c>; WIRE.md §4), checked by hand.</summary>
internal static class MessagesShapes
{
    private static readonly string[] StopReasons = ["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"];

    private static readonly string[] ErrorTypes =
    [
        "invalid_request_error", "authentication_error", "billing_error", "permission_error", "not_found_error",
        "request_too_large", "rate_limit_error", "api_error", "overloaded_error", "timeout_error",
    ];

    public static void AssertMessage(JsonElement message, bool streamed = false)
    {
        Assert.StartsWith("msg_", Member(message, "id", JsonValueKind.String).GetString(), StringComparison.Ordinal);
        Assert.Equal("message", Member(message, "type", JsonValueKind.String).GetString());
        Assert.Equal("assistant", Member(message, "role", JsonValueKind.String).GetString());
        Member(message, "model", JsonValueKind.String);
        var content = Member(message, "content", JsonValueKind.Array);
        foreach (var block in content.EnumerateArray())
        {
            AssertBlock(block);
        }

        var stop = Member(message, "stop_reason");
        if (streamed)
        {
            Assert.Equal(JsonValueKind.Null, stop.ValueKind);
            Assert.Equal(0, content.GetArrayLength());
        }
        else
        {
            Assert.Contains(stop.GetString(), StopReasons);
        }

        Assert.Equal(JsonValueKind.Null, Member(message, "stop_sequence").ValueKind);
        var usage = Member(message, "usage", JsonValueKind.Object);
        Assert.True(Member(usage, "input_tokens", JsonValueKind.Number).GetInt32() >= 0);
        Assert.True(Member(usage, "output_tokens", JsonValueKind.Number).GetInt32() >= 0);
    }

    public static void AssertBlock(JsonElement block)
    {
        switch (Member(block, "type", JsonValueKind.String).GetString())
        {
            case "text":
                Member(block, "text", JsonValueKind.String);
                break;
            case "tool_use":
                Member(block, "id", JsonValueKind.String);
                Member(block, "name", JsonValueKind.String);
                Member(block, "input", JsonValueKind.Object);
                break;
            default:
                Assert.Fail("Unexpected block type: " + block.GetRawText());
                break;
        }
    }

    public static void AssertError(JsonElement root)
    {
        Assert.Equal(["type", "error"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("error", Member(root, "type", JsonValueKind.String).GetString());
        var error = Member(root, "error", JsonValueKind.Object);
        Assert.Equal(["type", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Contains(Member(error, "type", JsonValueKind.String).GetString(), ErrorTypes);
        Assert.False(string.IsNullOrEmpty(Member(error, "message", JsonValueKind.String).GetString()));
    }

    private static JsonElement Member(JsonElement o, string name, JsonValueKind? kind = null)
    {
        Assert.True(o.TryGetProperty(name, out var value), $"missing '{name}' in {o.GetRawText()}");
        if (kind is { } k)
        {
            Assert.Equal(k, value.ValueKind);
        }

        return value;
    }
}
