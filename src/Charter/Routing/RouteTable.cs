// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using Charter.Configuration;
using Charter.Providers;

namespace Charter.Routing;

/// <summary>Model aliases to deployments, built once from configuration (a frozen dictionary lookup per request).</summary>
public sealed class RouteTable
{
    private readonly FrozenDictionary<string, ModelRoute> _routes;
    private readonly ModelRoute? _wildcard;

    /// <summary>Builds the table from options and the live accounts.</summary>
    public RouteTable(ProvidersOptions options, IReadOnlyDictionary<string, UpstreamAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accounts);
        Accounts = accounts;
        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        foreach (var m in options.Models)
        {
            var targets = m.Targets.Select(t => new RouteTarget(accounts[t.Account], string.IsNullOrEmpty(t.Model) ? null : t.Model, t.Weight, t.Priority)).ToList();
            var route = new ModelRoute(m.Name, targets);
            if (m.Name == "*")
            {
                _wildcard = route;
            }
            else
            {
                routes[m.Name] = route;
            }
        }

        if (options.Models.Count == 0 && accounts.Count > 0)
        {
            // No aliases: every model goes to the accounts in configuration order (first preferred, others fallbacks).
            _wildcard = new ModelRoute("*", accounts.Values.Select((a, i) => new RouteTarget(a, null, 1, i)).ToList());
        }

        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Live accounts by id.</summary>
    public IReadOnlyDictionary<string, UpstreamAccount> Accounts { get; }

    /// <summary>Named routes.</summary>
    public IEnumerable<ModelRoute> Named => _routes.Values;

    /// <summary>The catch-all route, if any.</summary>
    public ModelRoute? Wildcard => _wildcard;

    /// <summary>Finds the route for a public model name.</summary>
    public ModelRoute? Resolve(string model) => _routes.TryGetValue(model, out var r) ? r : _wildcard;
}
