// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The members of a legacy completions request (<c>POST /v1/completions</c>, spec <c>CreateCompletionRequest</c>) the
/// simulator uses, read in one pass with <see cref="Utf8JsonReader"/>.</summary>
internal sealed partial class CompletionRequest
{
    /// <summary>The legacy API's default <c>max_tokens</c> (not the chat route's "no limit").</summary>
    public const int DefaultMaxTokens = 16;

    /// <summary>Largest <c>logprobs</c>: alternatives per token.</summary>
    public const int MaxLogprobs = 5;

    /// <summary>Largest <c>best_of</c>.</summary>
    public const int MaxBestOf = 20;

    public string? Model { get; set; }

    /// <summary>The prompts, in order (a string is one; an array of token ids is one; an array of strings or of id arrays, one each).</summary>
    public List<CompletionPrompt> Prompts { get; } = [];

    public bool SawPrompt { get; set; }

    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>Choices returned per prompt.</summary>
    public int N { get; set; } = 1;

    /// <summary>Candidates generated per prompt (the best <see cref="N"/> are returned); null when absent.</summary>
    public int? BestOf { get; set; }

    /// <summary>Alternatives per token in the legacy <c>logprobs</c> object; -1 when absent (no <c>logprobs</c>).</summary>
    public int Logprobs { get; set; } = -1;

    public bool Echo { get; set; }

    public bool Stream { get; set; }

    public bool StreamOptionsPresent { get; set; }

    public bool IncludeUsage { get; set; }
}
