// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>A provider's terms as the organization reads them, for a provider kind or one provider account.</summary>
internal sealed record ProviderTermsDocument
{
    public required string File { get; init; }

    public required string Id { get; init; }

    public ProviderKind? Provider { get; init; }

    public string? Account { get; init; }

    public string? Title { get; init; }

    public required string Source { get; init; }

    public IReadOnlyList<ProhibitedPurpose> Prohibited { get; init; } = [];

    public IReadOnlyList<string>? Permitted { get; init; }

    public IReadOnlyList<string>? Jurisdictions { get; init; }

    public string? JurisdictionSource { get; init; }

    public IReadOnlyList<ParameterLimit> Limits { get; init; } = [];
}
