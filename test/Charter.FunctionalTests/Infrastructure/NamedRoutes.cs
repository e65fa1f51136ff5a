// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Hosting;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Gateway settings that serve only named models (any other is 404 <c>model_not_found</c>), each routed to the
/// test's simulator over HTTP as the account <c>sim-http</c>.</summary>
internal static class NamedRoutes
{
    /// <summary>Routes each of <paramref name="models"/> to the simulator.</summary>
    public static void ToSimulator(CharterHostSettings settings, params string[] models)
    {
        settings.Overrides["Providers:Accounts:0:Id"] = "sim-http";
        settings.Overrides["Providers:Accounts:0:Kind"] = "openai-compatible";
        settings.Overrides["Providers:Accounts:0:BaseUrl"] = settings.Upstream;
        for (var i = 0; i < models.Length; i++)
        {
            settings.Overrides[$"Providers:Models:{i}:Name"] = models[i];
            settings.Overrides[$"Providers:Models:{i}:Targets:0:Account"] = "sim-http";
        }
    }
}
