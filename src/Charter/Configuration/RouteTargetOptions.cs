// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>One deployment of a model route.</summary>
public sealed class RouteTargetOptions
{
    /// <summary>Provider account id.</summary>
    public string Account { get; set; } = "";

    /// <summary>Upstream model or Azure deployment; empty keeps the client's model name.</summary>
    public string? Model { get; set; }

    /// <summary>Relative weight among targets of equal <see cref="Priority"/>. Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>Lower tries first; higher priorities are fallbacks. Default 0.</summary>
    public int Priority { get; set; }
}
