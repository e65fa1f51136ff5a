// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>The organization document: purposes, settings and rules.</summary>
internal sealed record OrganizationDocument(
    string File,
    string Id,
    PolicySettings Settings,
    IReadOnlyList<PurposeInfo> Purposes,
    IReadOnlyDictionary<string, string?> PurposeMessages,
    IReadOnlyList<RuleDefinition> Rules);
