// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>A public model name (alias) and the deployments that serve it (<c>Providers:Models</c>).</summary>
public sealed class ModelRouteOptions
{
    /// <summary>Public model name clients send; <c>*</c> matches every model not named elsewhere.</summary>
    public string Name { get; set; } = "";

    /// <summary>Deployments in order of preference; weights spread load among the first tier.</summary>
    public List<RouteTargetOptions> Targets { get; set; } = [];
}
