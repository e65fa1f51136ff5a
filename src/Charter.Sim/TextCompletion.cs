// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Everything needed to write one legacy text completion (<c>object:"text_completion"</c>), streamed or not.</summary>
internal sealed class TextCompletion
{
    public required string Id { get; init; }

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required CompletionPrompt[] Prompts { get; init; }

    /// <summary>The choices returned, prompt-major: choice <c>i</c> answers prompt <c>i / N</c>.</summary>
    public required ChoicePlan[] Choices { get; init; }

    /// <summary>Choices per prompt.</summary>
    public required int N { get; init; }

    public required int PromptTokens { get; init; }

    /// <summary>Tokens generated for every candidate, including those <c>best_of</c> generated and did not return.</summary>
    public required int CompletionTokens { get; init; }

    /// <summary>Alternatives per token in <c>logprobs</c>; -1 for <c>"logprobs":null</c>.</summary>
    public int Logprobs { get; init; } = -1;

    /// <summary>Each choice's text starts with its prompt.</summary>
    public bool Echo { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>Adds Azure's <c>prompt_filter_results</c> / <c>content_filter_results</c>.</summary>
    public bool AzureAnnotations { get; init; }

    /// <summary>Tokens of the longest choice (the number of generation steps).</summary>
    public int Steps => ChoicePlan.Steps(Choices);

    /// <summary>The prompt choice <paramref name="choice"/> answers.</summary>
    public CompletionPrompt PromptOf(int choice) => Prompts[choice / N];

    /// <summary>Prompt tokens at the start of a choice's <c>logprobs</c>: the prompt's when echoed, else none.</summary>
    public int EchoedTokens(int choice) => Echo ? PromptOf(choice).TokenEnds.Length : 0;
}
