// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>An organization rule as written in YAML.</summary>
internal sealed record RuleDefinition(
    string Id,
    string? Description,
    RuleCondition When,
    PolicyEffect Effect,
    string Message,
    IReadOnlyList<string> Overrides,
    string File,
    int Line);
