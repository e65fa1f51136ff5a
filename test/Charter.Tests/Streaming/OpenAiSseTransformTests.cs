// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Charter.Streaming;

namespace Charter.Tests.Streaming;

/// <summary>OpenAI-wire streams passed through: the output text copied aside (a chat delta's content, a legacy completion's
/// text) and the usage chunk Charter asked for removed again.</summary>
public sealed class OpenAiSseTransformTests
{
    private const string Completions =
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{\"text\":\"Hel\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"model\":\"m\",\"usage\":null}\n\n" +
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{\"text\":\"lo \\\"you\\\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}],\"model\":\"m\",\"usage\":null}\n\n" +
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[],\"model\":\"m\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n" +
        "data: [DONE]\n\n";

    private const string Chat =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n" +
        "data: [DONE]\n\n";

    [Fact]
    public void ProcessEvents_LegacyCompletionsStream_CollectsTextAndUsageAndStripsTheUsageCharterAdded()
    {
        var text = new ArrayBufferWriter<byte>();
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);

        var consumed = new OpenAiSseTransform(stripUsage: true, text, legacyText: true).ProcessEvents(Encoding.UTF8.GetBytes(Completions), client, ref outcome);

        Assert.Equal(Encoding.UTF8.GetByteCount(Completions), consumed);
        Assert.Equal("Hello \\\"you\\\"", Encoding.UTF8.GetString(text.WrittenSpan));
        Assert.Equal((2, 5, 3), (outcome.ContentChunks, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens));
        Assert.True(outcome.SawDone);
        var relayed = Encoding.UTF8.GetString(client.WrittenSpan);
        Assert.DoesNotContain("usage", relayed, StringComparison.Ordinal);
        Assert.Equal(3, relayed.Split("data: ").Length - 1);
    }

    [Fact]
    public void ProcessEvents_LegacyCompletionsStreamReadAsChat_FindsNoOutput()
    {
        // The member that carries output differs between the two wire forms: chat's reading finds none in a completions stream.
        var text = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);

        new OpenAiSseTransform(stripUsage: false, text).ProcessEvents(Encoding.UTF8.GetBytes(Completions), new ArrayBufferWriter<byte>(), ref outcome);

        Assert.Equal(0, outcome.ContentChunks);
        Assert.Equal(0, text.WrittenCount);
    }

    [Fact]
    public void ProcessEvents_ChatStream_CollectsContentNotTheEmptyRoleChunk()
    {
        var text = new ArrayBufferWriter<byte>();
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);

        new OpenAiSseTransform(stripUsage: false, text).ProcessEvents(Encoding.UTF8.GetBytes(Chat), client, ref outcome);

        Assert.Equal("Hi", Encoding.UTF8.GetString(text.WrittenSpan));
        Assert.Equal(1, outcome.ContentChunks);
        Assert.Equal(Chat, Encoding.UTF8.GetString(client.WrittenSpan));
    }
}
