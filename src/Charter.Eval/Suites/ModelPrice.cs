// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>Price of a model in currency units per million tokens, used when the gateway reports no cost.</summary>
public sealed record ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Cost of one call.</summary>
    public double Cost(int promptTokens, int completionTokens)
        => (promptTokens * InputPerMillion + completionTokens * OutputPerMillion) / 1_000_000d;
}
