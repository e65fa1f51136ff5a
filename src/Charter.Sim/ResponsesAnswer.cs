// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Everything needed to write one Responses API answer, streamed or not: one message item or one function call item.</summary>
internal sealed class ResponsesAnswer
{
    /// <summary>Number of <c>response.function_call_arguments.delta</c> pieces streamed arguments are split into.</summary>
    public const int ToolPieces = 3;

    /// <summary><c>resp_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Id of the output item: <c>msg_…</c> or <c>fc_…</c>.</summary>
    public required string ItemId { get; init; }

    public required long CreatedAt { get; init; }

    /// <summary>Unix seconds at which the answer was complete (a stream sets it when it ends).</summary>
    public long CompletedAt { get; set; }

    public required string Model { get; init; }

    /// <summary>The words of the text (the chat route's generator).</summary>
    public required ChoicePlan Plan { get; init; }

    /// <summary>The request, for the members a response echoes (instructions, tools, metadata…).</summary>
    public required ResponsesRequest Request { get; init; }

    public required int InputTokens { get; init; }

    public required int OutputTokens { get; init; }

    /// <summary>Name of the function called, or null for a text answer.</summary>
    public string? ToolName { get; init; }

    /// <summary><c>call_…</c> id of the function call.</summary>
    public string? CallId { get; init; }

    /// <summary>The call's arguments, UTF-8 JSON: <c>{"query":"word"}</c>.</summary>
    public byte[]? ToolArguments { get; init; }

    /// <summary>True when <c>max_output_tokens</c> cut the text (status <c>incomplete</c>).</summary>
    public bool Incomplete => ToolName is null && Plan.Truncated;

    /// <summary>Deltas to stream: the text tokens, or the argument pieces.</summary>
    public int Steps => ToolName is null ? Plan.Count : ToolPieces;

    /// <summary>Log-probabilities were asked for (<c>include: ["message.output_text.logprobs"]</c>).</summary>
    public bool Logprobs => Request.Chat.Logprobs;

    public int TopLogprobs => Request.Chat.TopLogprobs;

    /// <summary>Piece <paramref name="index"/> of <see cref="ToolArguments"/> (split at thirds of its length).</summary>
    public ReadOnlySpan<byte> ToolPiece(int index)
    {
        var arguments = ToolArguments!;
        var from = (arguments.Length * index) / ToolPieces;
        return arguments.AsSpan(from, ((arguments.Length * (index + 1)) / ToolPieces) - from);
    }
}
