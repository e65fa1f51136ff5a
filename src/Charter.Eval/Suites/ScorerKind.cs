// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>The scorers a suite can name.</summary>
public enum ScorerKind
{
    Exact,
    Contains,
    Regex,
    Choice,
    Numeric,
    JsonSchema,
    Judge,
}
