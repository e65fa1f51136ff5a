// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fields of an Anthropic Messages request the simulator uses, read in one pass with <see cref="Utf8JsonReader"/>.</summary>
/// <remarks>
/// The shared fields go into <see cref="Chat"/> so the OpenAI path's text generator answers it: <c>system</c> counts as a
/// first system message and <c>messages</c> as user/assistant messages, hashed and counted exactly like OpenAI's.
/// </remarks>
internal sealed partial class MessagesRequest
{
    /// <summary>Model, stream, max_tokens (in <c>MaxTokens</c>), prompt hash, prompt tokens, last user text, sim_answer.</summary>
    public ChatRequest Chat { get; } = new();

    /// <summary>Non-empty <c>stop_sequences</c>, or null.</summary>
    public List<string>? StopSequences { get; set; }

    /// <summary>Names of <c>tools</c>, in order, or null when none.</summary>
    public List<string>? ToolNames { get; set; }

    /// <summary><c>tool_choice.type</c> (<c>auto</c>, <c>any</c>, <c>tool</c>, <c>none</c>), or null.</summary>
    public string? ToolChoice { get; set; }

    /// <summary><c>tool_choice.name</c> (with type <c>tool</c>).</summary>
    public string? ToolChoiceName { get; set; }

    /// <summary>The tool the answer must call (tool_choice any or tool with tools present), or null for a text answer.</summary>
    public string? ForcedTool => ToolNames is { Count: > 0 } names
        ? ToolChoice switch
        {
            "any" => names[0],
            "tool" => ToolChoiceName,
            _ => null,
        }
        : null;
}
