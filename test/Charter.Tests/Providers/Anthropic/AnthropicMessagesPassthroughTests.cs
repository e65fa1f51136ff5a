// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Charter.Errors;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Tests.Providers.Anthropic;

/// <summary>An Anthropic Messages stream relayed as it came on <c>/v1/messages</c>: read for its usage, output and end.</summary>
public sealed class AnthropicMessagesPassthroughTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100_000)]
    public void ProcessEvents_TextStreamInAnySlices_PassedThroughUnchangedWithAnthropicsUsage(int slice)
    {
        var stream = AnthropicStreamFixtures.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (client, outcome, text) = Relay(stream, slice);

        Assert.Equal(stream, client);
        Assert.True(outcome.SawDone);
        Assert.Equal(CharterError.None, outcome.Error);
        Assert.True(outcome.Usage.Present);
        // In OpenAI's terms: prompt = input + cache reads + cache writes; cached = cache reads; output from message_delta.
        Assert.Equal((135, 12, 100), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, outcome.Usage.CachedTokens));
        Assert.Equal(2, outcome.ContentChunks);
        Assert.Equal("Bonjour \\\"le\\\" monde \\u2014 caf\\u00e9 日本\\n", text);
    }

    [Fact]
    public void ProcessEvents_ThinkingAndToolUse_AllCountAsOutputAndThinkingTextIsKept()
    {
        var stream = AnthropicStreamFixtures.Tools.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (client, outcome, text) = Relay(stream, 100_000);

        Assert.Equal(stream, client);
        Assert.True(outcome.SawDone);
        Assert.StartsWith("Two cities, two calls.Let me check.", text, StringComparison.Ordinal);
        Assert.True(outcome.ContentChunks >= 4, outcome.ContentChunks.ToString(System.Globalization.CultureInfo.InvariantCulture)); // thinking, text, tool input
        Assert.Equal(472, outcome.Usage.PromptTokens);
    }

    [Fact]
    public void ProcessEvents_ErrorEvent_EndsAsUpstreamErrorAndPassesThrough()
    {
        const string stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n"
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        var (client, outcome, _) = Relay(stream, 100_000);

        Assert.Equal(stream, client);
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.False(outcome.SawDone);
        Assert.Equal((9, 1), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens)); // the output count before message_delta
    }

    [Fact]
    public void ProcessEvents_DeltasNotCompactOrWithoutEventNames_ReadAsTheCompactOnes()
    {
        // The scan reads compact deltas; spaced JSON and events named only by their data's type go through the reader, alike.
        const string stream = "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"Hel\"}}\n\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" you\"}}\n\n"
            + "data: {\"type\":\"message_stop\"}\n\n";
        var (_, outcome, text) = Relay(stream, 100_000);

        Assert.Equal("Hello you", text);
        Assert.Equal(3, outcome.ContentChunks);
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void ProcessTail_LastEventWithoutItsBlankLine_StillEndsTheStream()
    {
        var transform = new ObservedSseTransform<AnthropicMessagesStreamState>(new AnthropicMessagesStreamState(null));
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);

        transform.ProcessTail("data: {\"type\":\"message_stop\"}"u8, client, ref outcome);

        Assert.True(outcome.SawDone);
        Assert.Equal("data: {\"type\":\"message_stop\"}", Encoding.UTF8.GetString(client.WrittenSpan));
    }

    [Fact]
    public void WriteFailure_AnErrorEventInAnthropicsShape()
    {
        var client = new ArrayBufferWriter<byte>();
        new ObservedSseTransform<AnthropicMessagesStreamState>(new AnthropicMessagesStreamState(null)).WriteFailure(client);

        var written = Encoding.UTF8.GetString(client.WrittenSpan);
        Assert.StartsWith("event: error\ndata: ", written, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(written["event: error\ndata: ".Length..].TrimEnd());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("api_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private static (string Client, StreamOutcome Outcome, string Text) Relay(string stream, int slice)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var text = new ArrayBufferWriter<byte>();
        var transform = new ObservedSseTransform<AnthropicMessagesStreamState>(new AnthropicMessagesStreamState(text));
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var pending = new List<byte>();
        for (var at = 0; at < bytes.Length; at += slice)
        {
            pending.AddRange(bytes.AsSpan(at, Math.Min(slice, bytes.Length - at)).ToArray());
            var consumed = transform.ProcessEvents(pending.ToArray(), client, ref outcome);
            pending.RemoveRange(0, consumed);
        }

        Assert.Empty(pending);
        return (Encoding.UTF8.GetString(client.WrittenSpan), outcome, Encoding.UTF8.GetString(text.WrittenSpan));
    }
}
