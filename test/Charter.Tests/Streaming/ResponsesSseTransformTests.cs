// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Charter.Errors;
using Charter.Streaming;
using Charter.Tests.Forwarding;

namespace Charter.Tests.Streaming;

/// <summary>A Responses stream relayed as it came: its end, usage, output text and a mid-stream failure in its own shape.</summary>
public sealed class ResponsesSseTransformTests
{
    private const string Stream =
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[],\"usage\":null}}\n\n" +
        "event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}\n\n" +
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}\n\n" +
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"lo \\\"you\\\"\",\"logprobs\":[]}\n\n" +
        "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"sequence_number\":4,\"text\":\"Hello \\\"you\\\"\"}\n\n" +
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":5,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"usage\"}]}],\"usage\":{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":15},\"metadata\":{}}}\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public void ProcessEvents_WholeStreamInAnySlices_PassedThroughWithUsageAndText(int slice)
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        var text = new ArrayBufferWriter<byte>();
        var transform = new ObservedSseTransform<ResponsesStreamState>(new ResponsesStreamState(text));
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
        Assert.Equal(Stream, Encoding.UTF8.GetString(client.WrittenSpan));
        Assert.True(outcome.SawDone);
        Assert.Equal(CharterError.None, outcome.Error);
        Assert.True(outcome.Usage.Present);
        Assert.Equal((12, 3, 4), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, outcome.Usage.CachedTokens));
        Assert.Equal(2, outcome.ContentChunks);
        Assert.Equal("Hello \\\"you\\\"", Encoding.UTF8.GetString(text.WrittenSpan));
    }

    [Fact]
    public void Observe_EventsWithoutEventLines_ReadByTheirType()
    {
        // A server that sends only data lines: the type member names the event.
        var state = new ResponsesStreamState(null);
        var outcome = default(StreamOutcome);
        state.Observe("data: {\"sequence_number\":7,\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"usage\":{\"input_tokens\":2,\"output_tokens\":16}}}\n\n"u8, ref outcome);

        Assert.True(outcome.SawDone);
        Assert.Equal(16, outcome.Usage.CompletionTokens);
        Assert.Equal(7, state.LastSequenceNumber);
    }

    [Fact]
    public void Observe_ResponseFailed_EndsTheStreamAsAnUpstreamError()
    {
        var state = new ResponsesStreamState(null);
        var outcome = default(StreamOutcome);
        state.Observe("event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":3,\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"x\"},\"usage\":null}}\n\n"u8, ref outcome);

        Assert.True(outcome.SawDone);
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.False(outcome.Usage.Present);
    }

    [Fact]
    public void Observe_FunctionCallArgumentDeltas_CountAsContent()
    {
        var state = new ResponsesStreamState(new ArrayBufferWriter<byte>());
        var outcome = default(StreamOutcome);
        state.Observe("event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":4,\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":\"{\\\"a\\\"\"}\n\n"u8, ref outcome);

        Assert.Equal(1, outcome.ContentChunks);
        Assert.False(outcome.SawDone);
    }

    [Fact]
    public async Task RelayAsync_UpstreamDropsMidStream_ClientGetsAResponsesErrorEventNumberedAfterTheLast()
    {
        var head = Stream[..Stream.IndexOf("event: response.output_text.done", StringComparison.Ordinal)];
        var bytes = Encoding.UTF8.GetBytes(head);
        var upstream = new TrickleStream(bytes, failAfter: bytes.Length); // then fails like a dropped connection
        var pipe = new Pipe();
        var state = new ResponsesStreamState(new ArrayBufferWriter<byte>());

        var outcome = await SseRelay.RelayAsync(upstream, pipe.Writer, new ObservedSseTransform<ResponsesStreamState>(state), TimeSpan.FromSeconds(5), CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        var written = await ReadAllAsync(pipe.Reader);

        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.False(outcome.SawDone);
        Assert.StartsWith(head, written, StringComparison.Ordinal);
        Assert.EndsWith("event: error\ndata: {\"type\":\"error\",\"code\":\"upstream_error\",\"message\":\"The upstream connection failed mid-stream.\",\"param\":null,\"sequence_number\":4}\n\n",
            written, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayAsync_UpstreamEndsWithoutATerminalEvent_IsAnUpstreamError()
    {
        var head = Stream[..Stream.IndexOf("event: response.completed", StringComparison.Ordinal)];
        var pipe = new Pipe();

        var outcome = await SseRelay.RelayAsync(new MemoryStream(Encoding.UTF8.GetBytes(head)), pipe.Writer,
            new ObservedSseTransform<ResponsesStreamState>(new ResponsesStreamState(null)), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.NotEqual(0, outcome.FirstContentTimestamp);
        Assert.True(outcome.FirstContentTimestamp >= outcome.FirstFlushTimestamp);
    }

    [Fact]
    public void TryReadMember_UsageUnderResponse_ReadAndElsewhereNot()
    {
        Assert.True(UsageReader.TryReadMember("{\"type\":\"x\",\"response\":{\"output\":[{\"usage\":{\"input_tokens\":99}}],\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}}"u8, "response"u8, out var u));
        Assert.Equal((5, 6), (u.PromptTokens, u.CompletionTokens));
        Assert.False(UsageReader.TryReadMember("{\"response\":{\"usage\":null}}"u8, "response"u8, out _));
        Assert.False(UsageReader.TryReadMember("{\"usage\":{\"input_tokens\":5}}"u8, "response"u8, out _));
        Assert.False(UsageReader.TryReadMember("{\"response\":"u8, "response"u8, out _));
    }

    private static async Task<string> ReadAllAsync(PipeReader reader)
    {
        var all = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return Encoding.UTF8.GetString(all.ToArray());
            }
        }
    }
}
