// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The fields of a chat completion request the simulator uses, read in one pass with <see cref="Utf8JsonReader"/>.</summary>
internal sealed partial class ChatRequest
{
    public string? Model { get; set; }

    public bool Stream { get; set; }

    public bool StreamOptionsPresent { get; set; }

    public bool IncludeUsage { get; set; }

    public int N { get; set; } = 1;

    /// <summary>Effective <c>max_completion_tokens</c> (or deprecated <c>max_tokens</c>); -1 when absent.</summary>
    public int MaxTokens { get; set; } = -1;

    public bool Logprobs { get; set; }

    public int TopLogprobs { get; set; }

    /// <summary><c>metadata.sim_answer</c>: the correct option letter, when the caller tells the simulator.</summary>
    public string? SimAnswer { get; set; }

    /// <summary>Text of the last user message (string content or its text parts concatenated).</summary>
    public string? LastUserText { get; set; }

    /// <summary>Hash of every message's role and text.</summary>
    public ulong PromptHash { get; set; }

    /// <summary>Deterministic prompt size: per message 3 + ceil(UTF-8 bytes / 4), plus 3.</summary>
    public int PromptTokens { get; set; }
}
