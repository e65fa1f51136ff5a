// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fields of a Responses API request the simulator uses or echoes, read in one pass with <see cref="Utf8JsonReader"/>.</summary>
/// <remarks>
/// The conversation goes into <see cref="Chat"/> so the chat route's text generator answers it: <c>instructions</c> counts as
/// a first system message, a string <c>input</c> as one user message, message items as messages, a run of
/// <c>function_call</c> items as one assistant message without text and a <c>function_call_output</c> as a tool message,
/// hashed and counted exactly like the equivalent chat request.
/// </remarks>
internal sealed partial class ResponsesRequest
{
    /// <summary>Model, stream, max_output_tokens (in <c>MaxTokens</c>), logprobs, top_logprobs, prompt hash and tokens, last user text, sim_answer.</summary>
    public ChatRequest Chat { get; } = new();

    /// <summary><c>instructions</c>, or null.</summary>
    public string? Instructions { get; set; }

    /// <summary><c>temperature</c> as sent, or null (echoed as 1).</summary>
    public double? Temperature { get; set; }

    /// <summary><c>top_p</c> as sent, or null (echoed as 1).</summary>
    public double? TopP { get; set; }

    /// <summary>Function tools, in order, or null when none.</summary>
    public List<ResponsesTool>? Tools { get; set; }

    /// <summary><c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c> or <c>function</c> (with <see cref="ToolChoiceName"/>); null when absent.</summary>
    public string? ToolChoice { get; set; }

    /// <summary><c>tool_choice.name</c> (with type <c>function</c>).</summary>
    public string? ToolChoiceName { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public bool? Store { get; set; }

    public string? PreviousResponseId { get; set; }

    /// <summary>Offset in the body of the <c>input</c> value (kept raw for a stored response's <c>input_items</c>).</summary>
    public long InputStart { get; set; }

    /// <summary>Offset in the body just past the <c>input</c> value.</summary>
    public long InputEnd { get; set; }

    public string? User { get; set; }

    public string? SafetyIdentifier { get; set; }

    public string? PromptCacheKey { get; set; }

    /// <summary><c>truncation</c> (<c>auto</c> or <c>disabled</c>), or null.</summary>
    public string? Truncation { get; set; }

    public int? MaxToolCalls { get; set; }

    /// <summary>Raw JSON of <c>metadata</c> (an object of strings), or null.</summary>
    public byte[]? Metadata { get; set; }

    /// <summary>Raw JSON of <c>text</c> (an object), or null.</summary>
    public byte[]? Text { get; set; }

    /// <summary>Raw JSON of <c>reasoning</c> (an object), or null.</summary>
    public byte[]? Reasoning { get; set; }

    /// <summary>The function the answer must call (tool_choice <c>required</c>: the first tool; <c>function</c>: the named one), or null for a text answer.</summary>
    public string? ForcedTool => Tools is { Count: > 0 } tools
        ? ToolChoice switch
        {
            "required" => tools[0].Name,
            "function" => ToolChoiceName,
            _ => null,
        }
        : null;
}
