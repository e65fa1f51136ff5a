// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Provider accounts and model routes (section <c>Providers</c>).</summary>
public sealed class ProvidersOptions
{
    /// <summary>Configured upstream accounts. Empty means the built-in simulated provider serves every model.</summary>
    public List<ProviderAccountOptions> Accounts { get; set; } = [];

    /// <summary>Model aliases. Empty with one account routes every model to it.</summary>
    public List<ModelRouteOptions> Models { get; set; } = [];
}
