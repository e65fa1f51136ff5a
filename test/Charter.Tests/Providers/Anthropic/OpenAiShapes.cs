// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Tests.Providers.Anthropic;

/// <summary>
/// The required members and JSON kinds of the OpenAI spec's CreateChatCompletionResponse and CreateChatCompletionStreamResponse
/// (../shared/spec/openai-openapi.yaml), checked by hand: the simplest robust stand-in for a schema validator.
/// </summary>
internal static class OpenAiShapes
{
    private static readonly string[] FinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    public static void AssertChatCompletion(JsonElement root)
    {
        AssertHeader(root, "chat.completion");
        var choices = Member(root, "choices", JsonValueKind.Array);
        Assert.NotEqual(0, choices.GetArrayLength());
        foreach (var choice in choices.EnumerateArray())
        {
            Member(choice, "index", JsonValueKind.Number);
            AssertFinishReason(Member(choice, "finish_reason"), nullable: false);
            AssertKind(Member(choice, "logprobs"), JsonValueKind.Object, JsonValueKind.Null);
            var message = Member(choice, "message", JsonValueKind.Object);
            Assert.Equal("assistant", Member(message, "role", JsonValueKind.String).GetString());
            AssertKind(Member(message, "content"), JsonValueKind.String, JsonValueKind.Null);
            AssertKind(Member(message, "refusal"), JsonValueKind.String, JsonValueKind.Null);
            if (message.TryGetProperty("tool_calls", out var calls))
            {
                Assert.Equal(JsonValueKind.Array, calls.ValueKind);
                foreach (var call in calls.EnumerateArray())
                {
                    Member(call, "id", JsonValueKind.String);
                    Assert.Equal("function", Member(call, "type", JsonValueKind.String).GetString());
                    var function = Member(call, "function", JsonValueKind.Object);
                    Member(function, "name", JsonValueKind.String);
                    Member(function, "arguments", JsonValueKind.String);
                }
            }
        }

        if (root.TryGetProperty("usage", out var usage))
        {
            AssertUsage(usage);
        }
    }

    public static void AssertChunk(JsonElement root)
    {
        AssertHeader(root, "chat.completion.chunk");
        var choices = Member(root, "choices", JsonValueKind.Array);
        foreach (var choice in choices.EnumerateArray())
        {
            Member(choice, "index", JsonValueKind.Number);
            AssertFinishReason(Member(choice, "finish_reason"), nullable: true);
            if (choice.TryGetProperty("logprobs", out var logprobs))
            {
                AssertKind(logprobs, JsonValueKind.Object, JsonValueKind.Null);
            }

            var delta = Member(choice, "delta", JsonValueKind.Object);
            if (delta.TryGetProperty("role", out var role))
            {
                Assert.Equal("assistant", role.GetString());
            }

            if (delta.TryGetProperty("content", out var content))
            {
                AssertKind(content, JsonValueKind.String, JsonValueKind.Null);
            }

            if (delta.TryGetProperty("tool_calls", out var calls))
            {
                Assert.Equal(JsonValueKind.Array, calls.ValueKind);
                foreach (var call in calls.EnumerateArray())
                {
                    Member(call, "index", JsonValueKind.Number);
                    if (call.TryGetProperty("id", out var id))
                    {
                        Assert.Equal(JsonValueKind.String, id.ValueKind);
                    }

                    if (call.TryGetProperty("type", out var type))
                    {
                        Assert.Equal("function", type.GetString());
                    }

                    if (call.TryGetProperty("function", out var function))
                    {
                        Assert.Equal(JsonValueKind.Object, function.ValueKind);
                        foreach (var member in function.EnumerateObject())
                        {
                            Assert.Contains(member.Name, new[] { "name", "arguments" });
                            Assert.Equal(JsonValueKind.String, member.Value.ValueKind);
                        }
                    }
                }
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind != JsonValueKind.Null)
        {
            AssertUsage(usage);
        }
    }

    public static void AssertError(JsonElement root)
    {
        var error = Member(root, "error", JsonValueKind.Object);
        Member(error, "message", JsonValueKind.String);
        Member(error, "type", JsonValueKind.String);
        AssertKind(Member(error, "param"), JsonValueKind.String, JsonValueKind.Null);
        AssertKind(Member(error, "code"), JsonValueKind.String, JsonValueKind.Null);
    }

    private static void AssertHeader(JsonElement root, string objectName)
    {
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Member(root, "id", JsonValueKind.String);
        Assert.Equal(objectName, Member(root, "object", JsonValueKind.String).GetString());
        Member(root, "created", JsonValueKind.Number);
        Member(root, "model", JsonValueKind.String);
    }

    private static void AssertUsage(JsonElement usage)
    {
        Assert.Equal(JsonValueKind.Object, usage.ValueKind);
        var prompt = Member(usage, "prompt_tokens", JsonValueKind.Number).GetInt32();
        var completion = Member(usage, "completion_tokens", JsonValueKind.Number).GetInt32();
        Assert.Equal(prompt + completion, Member(usage, "total_tokens", JsonValueKind.Number).GetInt32());
        if (usage.TryGetProperty("prompt_tokens_details", out var details))
        {
            Member(details, "cached_tokens", JsonValueKind.Number);
        }
    }

    private static void AssertFinishReason(JsonElement reason, bool nullable)
    {
        if (nullable && reason.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.Equal(JsonValueKind.String, reason.ValueKind);
        Assert.Contains(reason.GetString(), FinishReasons);
    }

    private static JsonElement Member(JsonElement obj, string name)
    {
        Assert.True(obj.TryGetProperty(name, out var value), $"missing required member '{name}' in {obj.GetRawText()}");
        return value;
    }

    private static JsonElement Member(JsonElement obj, string name, JsonValueKind kind)
    {
        var value = Member(obj, name);
        Assert.Equal(kind, value.ValueKind);
        return value;
    }

    private static void AssertKind(JsonElement value, JsonValueKind a, JsonValueKind b) =>
        Assert.True(value.ValueKind == a || value.ValueKind == b, $"{value.GetRawText()} is neither {a} nor {b}");
}
