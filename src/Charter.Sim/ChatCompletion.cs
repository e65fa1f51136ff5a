// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Everything needed to write one chat completion, streamed or not.</summary>
internal sealed class ChatCompletion
{
    public required string Id { get; init; }

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required ChoicePlan[] Choices { get; init; }

    public required int PromptTokens { get; init; }

    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>Adds Azure's <c>prompt_filter_results</c> / <c>content_filter_results</c>.</summary>
    public bool AzureAnnotations { get; init; }

    /// <summary>Sum of the tokens of every choice.</summary>
    public int CompletionTokens
    {
        get
        {
            var total = 0;
            foreach (var choice in Choices)
            {
                total += choice.Count;
            }

            return total;
        }
    }

    /// <summary>Tokens of the longest choice (the number of generation steps).</summary>
    public int Steps => ChoicePlan.Steps(Choices);
}
