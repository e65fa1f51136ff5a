// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Threading;
using Microsoft.AspNetCore.Http;

namespace Charter.Hosting;

/// <summary>
/// Moves control-plane requests (admin, audit, usage, lifecycle, evaluation APIs) to the thread pool when they arrive on
/// a socket event thread. With inline scheduling the gateway's own endpoints (<c>/v1/…</c>, <c>/healthz</c>) run on the
/// thread that read the request, which is the cheapest place to run them since they never block; the control plane calls
/// SQLite synchronously (a key creation waits for a commit), and must not hold up every other connection of that thread.
/// On the way back it gives the control plane's bodiless refusals a body (<see cref="ControlPlaneErrors"/>).
/// </summary>
internal static class ControlPlaneOffload
{
    /// <summary>The middleware.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsDataPlane(context.Request.Path))
        {
            return next(context);
        }

        return ControlPlaneAsync(context, next);
    }

    /// <summary>True for the gateway's request path, which stays on the thread it arrived on.</summary>
    internal static bool IsDataPlane(PathString path) => path.StartsWithSegments("/v1", StringComparison.Ordinal) || path.StartsWithSegments("/healthz", StringComparison.Ordinal);

    private static async Task ControlPlaneAsync(HttpContext context, RequestDelegate next)
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await ThreadPoolHop.Instance;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // A body binds before the admin API's filter checks the key: a caller without one gets the 401 it would
            // have got with a valid body, not the reason the body did not bind.
            if (context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase)
                && !await Admin.AdminApi.IsAuthenticatedAsync(context).ConfigureAwait(false))
            {
                await Admin.AdminApi.WriteUnauthenticatedAsync(context).ConfigureAwait(false);
                return;
            }

            await ControlPlaneErrors.WriteAsync(context, ex.StatusCode, ControlPlaneErrors.Describe(ex)).ConfigureAwait(false);
            return;
        }

        if (ControlPlaneErrors.IsBodilessError(context.Response))
        {
            await ControlPlaneErrors.WriteAsync(context, context.Response.StatusCode, null).ConfigureAwait(false);
        }
    }
}
