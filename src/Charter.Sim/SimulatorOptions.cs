// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Latency, faults and accuracy of the simulated provider; bindable from configuration.</summary>
/// <remarks>
/// Every field can also be changed while the simulator runs with <c>POST /_sim/config</c>
/// (snake_case or PascalCase JSON names, e.g. <c>{"suspended_account":true}</c>).
/// </remarks>
public sealed class SimulatorOptions
{
    /// <summary>Conventional configuration section: <c>Simulator</c>.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Delay before the first token (and before a non-streamed response). Default 0.</summary>
    public int TimeToFirstTokenMs { get; set; }

    /// <summary>Generation speed after the first token; 0 (the default) means instant.</summary>
    public double TokensPerSecond { get; set; }

    /// <summary>Probability (0..1) that a chat or embeddings request fails with HTTP 500. Default 0.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Probability (0..1) of an HTTP 429 with a <c>retry-after</c> header. Default 0.</summary>
    public double RateLimitRate { get; set; }

    /// <summary>Probability (0..1) that the provider is overloaded: 503 on the OpenAI routes, Anthropic's 529
    /// <c>overloaded_error</c> on the Messages route, either with a <c>retry-after</c> header. Default 0.</summary>
    public double OverloadedRate { get; set; }

    /// <summary>Seconds sent in <c>retry-after</c> with a simulated 429 or overload. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Probability (0..1) that the connection is dropped half-way through the response. Default 0.</summary>
    public double DropRate { get; set; }

    /// <summary>Probability (0..1) that a stream ends half-way with a <c>data: {"error":…}</c> event and no <c>[DONE]</c>. Default 0.</summary>
    public double StreamErrorRate { get; set; }

    /// <summary>When true every API request fails with 403 <c>account_deactivated</c>. Default false.</summary>
    public bool SuspendedAccount { get; set; }

    /// <summary>Probability per model name (case-insensitive) of answering a multiple-choice question correctly.</summary>
    public Dictionary<string, double> Accuracy { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Accuracy of models absent from <see cref="Accuracy"/>. Default 0.8.</summary>
    public double DefaultAccuracy { get; set; } = 0.8;

    /// <summary>Smallest natural completion length in tokens (before <c>max_tokens</c>). Default 16.</summary>
    public int MinCompletionTokens { get; set; } = 16;

    /// <summary>Largest natural completion length in tokens (before <c>max_tokens</c>). Default 48.</summary>
    public int MaxCompletionTokens { get; set; } = 48;

    /// <summary>Seed mixed into every generated text, vector and fault draw. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Adds Azure content-filter annotations (<c>prompt_filter_results</c>) on Azure routes. Default true.</summary>
    public bool AzureContentFilterAnnotations { get; set; } = true;

    /// <summary>Most distinct request ids remembered (memory bound for long load runs; 0 disables). Default 1,000,000.</summary>
    public int MaxRecordedRequestIds { get; set; } = 1_000_000;

    /// <summary>Returns a deep copy.</summary>
    public SimulatorOptions Clone() => new()
    {
        TimeToFirstTokenMs = TimeToFirstTokenMs,
        TokensPerSecond = TokensPerSecond,
        ErrorRate = ErrorRate,
        RateLimitRate = RateLimitRate,
        OverloadedRate = OverloadedRate,
        RetryAfterSeconds = RetryAfterSeconds,
        DropRate = DropRate,
        StreamErrorRate = StreamErrorRate,
        SuspendedAccount = SuspendedAccount,
        Accuracy = new Dictionary<string, double>(Accuracy, StringComparer.OrdinalIgnoreCase),
        DefaultAccuracy = DefaultAccuracy,
        MinCompletionTokens = MinCompletionTokens,
        MaxCompletionTokens = MaxCompletionTokens,
        Seed = Seed,
        AzureContentFilterAnnotations = AzureContentFilterAnnotations,
        MaxRecordedRequestIds = MaxRecordedRequestIds,
    };

    /// <summary>Checks every field and returns all problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TimeToFirstTokenMs < 0)
        {
            errors.Add("TimeToFirstTokenMs must be >= 0.");
        }

        if (TokensPerSecond < 0 || double.IsNaN(TokensPerSecond))
        {
            errors.Add("TokensPerSecond must be >= 0 (0 = instant).");
        }

        CheckRate(errors, nameof(ErrorRate), ErrorRate);
        CheckRate(errors, nameof(RateLimitRate), RateLimitRate);
        CheckRate(errors, nameof(OverloadedRate), OverloadedRate);
        CheckRate(errors, nameof(DropRate), DropRate);
        CheckRate(errors, nameof(StreamErrorRate), StreamErrorRate);
        CheckRate(errors, nameof(DefaultAccuracy), DefaultAccuracy);
        foreach (var pair in Accuracy)
        {
            CheckRate(errors, $"Accuracy[{pair.Key}]", pair.Value);
        }

        if (MaxRecordedRequestIds < 0)
        {
            errors.Add("MaxRecordedRequestIds must be >= 0.");
        }

        if (RetryAfterSeconds < 0)
        {
            errors.Add("RetryAfterSeconds must be >= 0.");
        }

        if (MinCompletionTokens < 1 || MaxCompletionTokens < MinCompletionTokens || MaxCompletionTokens > 4096)
        {
            errors.Add("Need 1 <= MinCompletionTokens <= MaxCompletionTokens <= 4096.");
        }

        return errors;
    }

    private static void CheckRate(List<string> errors, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add($"{name} must be between 0 and 1.");
        }
    }
}
