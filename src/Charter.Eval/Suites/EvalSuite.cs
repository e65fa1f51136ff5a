// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>A loaded, validated evaluation suite.</summary>
public sealed record EvalSuite
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Full path of the suite file (empty for suites built in code).</summary>
    public string SourcePath { get; init; } = string.Empty;

    /// <summary>SHA-256 (hex) over the suite file and its case files, in order.</summary>
    public required string Hash { get; init; }

    /// <summary>Prompt template: the chat messages sent for every case.</summary>
    public required IReadOnlyList<ChatMessageTemplate> Messages { get; init; }

    public required IReadOnlyList<EvalCase> Cases { get; init; }

    /// <summary>The suite's scorer (a case may override it).</summary>
    public ScorerSpec Scorer { get; init; } = ScorerSpec.Default;

    /// <summary>Models to compare when the command line names none.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public RequestParameters Parameters { get; init; } = RequestParameters.Default;

    /// <summary>Prices per model, used when the gateway reports no cost.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; init; } = new Dictionary<string, ModelPrice>();
}
