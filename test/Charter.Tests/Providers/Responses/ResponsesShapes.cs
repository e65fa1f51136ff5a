// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Tests.Providers.Responses;

/// <summary>Checks of the members the spec's Responses schemas require (Response, OutputMessage, FunctionToolCall, ResponseUsage).</summary>
internal static class ResponsesShapes
{
    private static readonly string[] ResponseRequired =
    [
        "id", "object", "created_at", "error", "incomplete_details", "instructions", "model", "tools", "output",
        "parallel_tool_calls", "metadata", "tool_choice", "temperature", "top_p",
    ];

    public static void AssertResponse(JsonElement response, bool final)
    {
        foreach (var name in ResponseRequired)
        {
            Assert.True(response.TryGetProperty(name, out _), $"Response lacks '{name}'.");
        }

        Assert.Equal("response", response.GetProperty("object").GetString());
        Assert.StartsWith("resp_", response.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, response.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Number, response.GetProperty("temperature").ValueKind);
        Assert.Equal(JsonValueKind.Number, response.GetProperty("top_p").ValueKind);
        Assert.Equal(JsonValueKind.Object, response.GetProperty("metadata").ValueKind);
        Assert.Contains(response.GetProperty("parallel_tool_calls").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(JsonValueKind.Null, response.GetProperty("previous_response_id").ValueKind);
        Assert.False(response.GetProperty("background").GetBoolean());
        foreach (var tool in response.GetProperty("tools").EnumerateArray())
        {
            foreach (var name in new[] { "type", "name", "strict", "parameters" })
            {
                Assert.True(tool.TryGetProperty(name, out _), $"Tool lacks '{name}'.");
            }
        }

        var status = response.GetProperty("status").GetString();
        if (!final)
        {
            Assert.Equal("in_progress", status);
            Assert.Equal(0, response.GetProperty("output").GetArrayLength());
            Assert.False(response.TryGetProperty("usage", out _));
            return;
        }

        Assert.Contains(status, new[] { "completed", "incomplete" });
        Assert.Equal(status == "incomplete" ? JsonValueKind.Object : JsonValueKind.Null, response.GetProperty("incomplete_details").ValueKind);
        foreach (var item in response.GetProperty("output").EnumerateArray())
        {
            AssertItem(item, done: true);
        }

        if (response.TryGetProperty("usage", out var usage))
        {
            foreach (var name in new[] { "input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details", "total_tokens" })
            {
                Assert.True(usage.TryGetProperty(name, out _), $"Usage lacks '{name}'.");
            }

            Assert.Equal(JsonValueKind.Number, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").ValueKind);
            Assert.Equal(JsonValueKind.Number, usage.GetProperty("input_tokens_details").GetProperty("cache_write_tokens").ValueKind);
            Assert.Equal(JsonValueKind.Number, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").ValueKind);
        }
    }

    public static void AssertItem(JsonElement item, bool done)
    {
        var type = item.GetProperty("type").GetString();
        Assert.StartsWith(type == "message" ? "msg_" : "fc_", item.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(item.TryGetProperty("status", out _));
        if (type == "message")
        {
            Assert.Equal("assistant", item.GetProperty("role").GetString());
            var content = item.GetProperty("content");
            if (!done)
            {
                Assert.Equal(0, content.GetArrayLength());
            }

            foreach (var part in content.EnumerateArray())
            {
                if (part.GetProperty("type").GetString() == "output_text")
                {
                    Assert.Equal(JsonValueKind.String, part.GetProperty("text").ValueKind);
                    Assert.Equal(JsonValueKind.Array, part.GetProperty("annotations").ValueKind);
                    Assert.Equal(JsonValueKind.Array, part.GetProperty("logprobs").ValueKind);
                }
                else
                {
                    Assert.Equal("refusal", part.GetProperty("type").GetString());
                    Assert.Equal(JsonValueKind.String, part.GetProperty("refusal").ValueKind);
                }
            }
        }
        else
        {
            Assert.Equal("function_call", type);
            Assert.Equal(JsonValueKind.String, item.GetProperty("call_id").ValueKind);
            Assert.Equal(JsonValueKind.String, item.GetProperty("name").ValueKind);
            Assert.Equal(JsonValueKind.String, item.GetProperty("arguments").ValueKind);
        }
    }
}
