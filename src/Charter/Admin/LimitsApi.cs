// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Accounting;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Admin;

/// <summary>Limits of one key or team: <c>GET /admin/v1/{keys|teams}/{id}/limits</c> and <c>PUT …/limits</c>.</summary>
/// <remarks>After a change the budget hold is reviewed at once: when every budget now allows spending, it is cleared
/// (actor <c>admin:&lt;id&gt;</c>), so raising a budget lets the key or team through again without waiting for the sweep.</remarks>
public static class LimitsApi
{
    /// <summary>Maps the limits endpoints.</summary>
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var (plural, kind) in new[] { ("keys", EntityKind.Key), ("teams", EntityKind.Team) })
        {
            var k = kind;
            // Delegates with the route's id, so that the admin OpenAPI document lists them (LifecycleApi does the same).
            app.MapGet($"/admin/v1/{plural}/{{id}}/limits", (Delegate)((HttpContext http, string id) => GetAsync(http, k)))
                .WithName($"GetLimits{plural}").WithTags("admin").WithSummary($"Limits, current spend and budget hold of one of the {plural}.")
                .Produces<SubjectLimitsDto>();
            app.MapPut($"/admin/v1/{plural}/{{id}}/limits", (Delegate)((HttpContext http, string id) => PutAsync(http, k)))
                .WithName($"SetLimits{plural}").WithTags("admin").WithSummary($"Change the limits and budgets of one of the {plural}; clears the budget hold when the budget allows.")
                .Accepts<LimitsUpdateRequest>("application/json").Produces<SubjectLimitsDto>();
        }

        return app;
    }

    private static async Task GetAsync(HttpContext http, EntityKind kind)
    {
        var (principal, id) = await AuthorizeAndResolveAsync(http, kind).ConfigureAwait(false);
        if (principal is null || id is null)
        {
            return;
        }

        await WriteAsync(http, kind, id).ConfigureAwait(false);
    }

    private static async Task PutAsync(HttpContext http, EntityKind kind)
    {
        var (principal, id) = await AuthorizeAndResolveAsync(http, kind).ConfigureAwait(false);
        if (principal is null || id is null)
        {
            return;
        }

        LimitsUpdateRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, LimitsApiJsonContext.Default.LimitsUpdateRequest, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(http, 400, "invalid_request", "The body is not a valid limits change: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await ErrorAsync(http, 400, "invalid_request", "A JSON body is required.").ConfigureAwait(false);
            return;
        }

        var limits = http.RequestServices.GetRequiredService<SubjectLimits>();
        var scope = kind == EntityKind.Team ? LimitScope.Team : LimitScope.Key;
        if (body.Reset == true)
        {
            await limits.SetAsync(scope, id, null, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            var current = limits.For(scope, id);
            var next = new LimitSet
            {
                RequestsPerMinute = body.RequestsPerMinute ?? current.RequestsPerMinute,
                TokensPerMinute = body.TokensPerMinute ?? current.TokensPerMinute,
                MaxConcurrentRequests = body.MaxConcurrentRequests ?? current.MaxConcurrentRequests,
                DailyBudgetUsd = body.DailyBudgetUsd ?? current.DailyBudgetUsd,
                MonthlyBudgetUsd = body.MonthlyBudgetUsd ?? current.MonthlyBudgetUsd,
            };
            var errors = new List<string>();
            LimitsOptionsValidator.ValidateSet(kind.ToWireName() + " " + id, next, errors);
            if (errors.Count > 0)
            {
                await ErrorAsync(http, 400, "invalid_request", string.Join(" ", errors)).ConfigureAwait(false);
                return;
            }

            if (!await limits.SetAsync(scope, id, next, http.RequestAborted).ConfigureAwait(false))
            {
                // Applied here, but the database is unreachable: other instances keep the previous limits, and this one until
                // its next reload from the database.
                http.Response.Headers["charter-warning"] = "limits applied on this instance only: the database is unreachable";
            }
        }

        var holds = http.RequestServices.GetService<BudgetHolds>();
        if (holds is not null)
        {
            await holds.ReviewAsync(kind, id, "admin:" + principal.Id, http.RequestAborted).ConfigureAwait(false);
        }

        await WriteAsync(http, kind, id).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext http, EntityKind kind, string id)
    {
        var scope = kind == EntityKind.Team ? LimitScope.Team : LimitScope.Key;
        var limits = http.RequestServices.GetRequiredService<SubjectLimits>();
        var set = limits.For(scope, id, out var own);
        decimal? today = null, month = null;
        if (http.RequestServices.GetRequiredService<ILimitStore>() is IBudgetSpendReader reader)
        {
            try
            {
                var (d, m) = await reader.GetSpendAsync(scope, id).ConfigureAwait(false);
                (today, month) = (Money.ToUsd(d), Money.ToUsd(m));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Shared store unreachable: the spend is reported as unknown (null).
            }
        }

        var lc = await http.RequestServices.GetRequiredService<LifecycleCoordinator>().GetAsync(kind, id, http.RequestAborted).ConfigureAwait(false);
        var dto = new SubjectLimitsDto(kind.ToWireName(), id, own, set.RequestsPerMinute, set.TokensPerMinute, set.MaxConcurrentRequests,
            set.DailyBudgetUsd, set.MonthlyBudgetUsd, today, month, (lc.Holds & LifecycleHolds.Budget) != 0);
        await http.Response.WriteAsJsonAsync(dto, LimitsApiJsonContext.Default.SubjectLimitsDto, cancellationToken: http.RequestAborted).ConfigureAwait(false);
    }

    // The same admin check, id resolution and error body as the lifecycle endpoints on the same resources.
    private static async Task<(AdminPrincipal? Principal, string? Id)> AuthorizeAndResolveAsync(HttpContext http, EntityKind kind)
    {
        var principal = await AdminApi.AuthorizeAsync(http).ConfigureAwait(false);
        return principal is null ? (null, null) : (principal, await LifecycleApi.ResolveAsync(http, kind).ConfigureAwait(false));
    }

    private static Task ErrorAsync(HttpContext http, int status, string code, string message) =>
        LifecycleApi.ErrorAsync(http, status, code, message, []);
}
