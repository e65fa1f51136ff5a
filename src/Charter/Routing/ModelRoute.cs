// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Routing;

/// <summary>A public model name and its deployments, sorted by priority.</summary>
public sealed class ModelRoute
{
    /// <summary>Creates a route.</summary>
    public ModelRoute(string name, IReadOnlyList<RouteTarget> targets)
    {
        Name = name;
        Targets = [.. targets.OrderBy(t => t.Priority)];
    }

    /// <summary>Public model name (or <c>*</c>).</summary>
    public string Name { get; }

    /// <summary>Targets in priority order.</summary>
    public RouteTarget[] Targets { get; }

    /// <summary>Writes the order to try targets in: a weighted pick within the first healthy tier, then the rest.</summary>
    public int Order(Span<int> order, long nowTicks)
    {
        var n = Math.Min(order.Length, Targets.Length);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        if (n > 1)
        {
            // Weighted choice among the lowest-priority tier: swap the chosen target to the front.
            var tier = Targets[0].Priority;
            var total = 0;
            var tierEnd = 0;
            while (tierEnd < n && Targets[tierEnd].Priority == tier)
            {
                total += Targets[tierEnd].Weight;
                tierEnd++;
            }

            if (tierEnd > 1)
            {
                var pick = Random.Shared.Next(total);
                for (var i = 0; i < tierEnd; i++)
                {
                    pick -= Targets[i].Weight;
                    if (pick < 0)
                    {
                        (order[0], order[i]) = (order[i], order[0]);
                        break;
                    }
                }
            }

            // Accounts with an open breaker go last (still tried if nothing else is left).
            var write = 0;
            Span<int> open = stackalloc int[n];
            var openCount = 0;
            for (var i = 0; i < n; i++)
            {
                if (Targets[order[i]].Account.Breaker.IsOpen(nowTicks))
                {
                    open[openCount++] = order[i];
                }
                else
                {
                    order[write++] = order[i];
                }
            }

            open[..openCount].CopyTo(order[write..]);
        }

        return n;
    }
}
