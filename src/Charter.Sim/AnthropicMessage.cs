// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Everything needed to write one Anthropic message, streamed or not: one text block or one tool_use block.</summary>
internal sealed class AnthropicMessage
{
    /// <summary>Number of <c>input_json_delta</c> pieces a streamed tool_use input is split into.</summary>
    public const int ToolPieces = 3;

    public required string Id { get; init; }

    /// <summary>The <c>request-id</c> (also in error events).</summary>
    public required string RequestId { get; init; }

    public required string Model { get; init; }

    /// <summary>The words of the text (the OpenAI path's generator).</summary>
    public required ChoicePlan Plan { get; init; }

    public required int InputTokens { get; init; }

    public required int OutputTokens { get; init; }

    /// <summary><c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c> or <c>tool_use</c>.</summary>
    public required string StopReason { get; init; }

    /// <summary>The stop sequence that ended the text, or null.</summary>
    public string? StopSequence { get; init; }

    /// <summary>Bytes of the plan's text that are answered (the text is cut before a stop sequence); <see cref="int.MaxValue"/> for all.</summary>
    public int TextLength { get; init; } = int.MaxValue;

    /// <summary>Tokens of the plan that carry answered text (one <c>text_delta</c> each).</summary>
    public int TextTokens { get; init; }

    /// <summary>Name of the tool called, or null for a text answer.</summary>
    public string? ToolName { get; init; }

    /// <summary><c>toolu_…</c> id of the tool call.</summary>
    public string? ToolId { get; init; }

    /// <summary>The tool input, UTF-8 JSON: <c>{"query":"word"}</c>.</summary>
    public byte[]? ToolInput { get; init; }

    /// <summary>Deltas to stream: the text tokens, or the tool input pieces.</summary>
    public int Steps => ToolName is null ? TextTokens : ToolPieces;

    /// <summary>Piece <paramref name="index"/> of <see cref="ToolInput"/> (split at thirds of its length).</summary>
    public ReadOnlySpan<byte> ToolPiece(int index)
    {
        var input = ToolInput!;
        return input.AsSpan((input.Length * index) / ToolPieces, ((input.Length * (index + 1)) / ToolPieces) - ((input.Length * index) / ToolPieces));
    }
}
