// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>Maps scorer kinds to and from the names used in suite files.</summary>
public static class ScorerKindNames
{
    public static string ToName(ScorerKind kind) => kind switch
    {
        ScorerKind.Exact => "exact",
        ScorerKind.Contains => "contains",
        ScorerKind.Regex => "regex",
        ScorerKind.Choice => "choice",
        ScorerKind.Numeric => "numeric",
        ScorerKind.JsonSchema => "json-schema",
        ScorerKind.Judge => "judge",
        _ => kind.ToString(),
    };

    public static bool TryParse(string? name, out ScorerKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "exact": kind = ScorerKind.Exact; return true;
            case "contains": kind = ScorerKind.Contains; return true;
            case "regex": kind = ScorerKind.Regex; return true;
            case "choice": kind = ScorerKind.Choice; return true;
            case "numeric": kind = ScorerKind.Numeric; return true;
            case "json-schema" or "json_schema" or "jsonschema": kind = ScorerKind.JsonSchema; return true;
            case "judge" or "llm-judge" or "model-graded": kind = ScorerKind.Judge; return true;
            default: kind = default; return false;
        }
    }
}
