// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>Sampling parameters sent with every request of a suite (null fields are omitted).</summary>
public sealed record RequestParameters
{
    /// <summary>Default parameters: temperature 0, no token limit.</summary>
    public static readonly RequestParameters Default = new() { Temperature = 0 };

    public double? Temperature { get; init; }

    public int? MaxTokens { get; init; }

    public double? TopP { get; init; }

    public int? Seed { get; init; }
}
