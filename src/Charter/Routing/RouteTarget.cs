// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Providers;

namespace Charter.Routing;

/// <summary>One deployment a model can be served by.</summary>
/// <param name="Account">The provider account.</param>
/// <param name="Model">The upstream model name; null keeps the client's.</param>
/// <param name="Weight">Relative weight within its priority tier.</param>
/// <param name="Priority">Lower first; higher are fallbacks.</param>
public sealed record RouteTarget(UpstreamAccount Account, string? Model, int Weight, int Priority);
