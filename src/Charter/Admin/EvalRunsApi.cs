// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Admin;

/// <summary>
/// <c>GET /admin/v1/eval/runs?key=&amp;team=&amp;limit=</c>: evaluation runs seen by the gateway, per key and team
/// (<c>key</c> is a key id; <c>team</c> a team id or name; <c>limit</c> 1-1000, default 100).
/// </summary>
public static class EvalRunsApi
{
    /// <summary>Maps the endpoint inside its own group with the admin auth filter (any admin role may read).</summary>
    public static RouteGroupBuilder MapEvalRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/v1/eval").WithTags("admin").AddEndpointFilter(AdminApi.AuthorizeAsync);
        group.MapGet("/runs", ListRunsAsync).WithName("ListEvalRuns")
            .WithSummary("Evaluation runs seen by the gateway (request records grouped by Charter-Eval-Run), per key and team, newest first.");
        return group;
    }

    private static async Task<JsonHttpResult<ListDto<EvalRunSummary>>> ListRunsAsync(HttpContext http, string? key, string? team, int? limit, CancellationToken ct)
    {
        // Resolved here rather than injected: a host composed without a query (CharterHost.Build alone) scans the records.
        var query = http.RequestServices.GetService<IEvalRunQuery>() ?? new RecordScanEvalRunQuery(http.RequestServices.GetRequiredService<IGatewayStore>());
        // A team may be named by id or by name; records carry the id. An unknown team matches nothing (kept as given).
        var teamId = Blank(team);
        if (teamId is not null && await http.RequestServices.GetRequiredService<IGatewayStore>().FindTeamAsync(teamId, ct).ConfigureAwait(false) is { } found)
        {
            teamId = found.Id;
        }

        var runs = await query.ListRunsAsync(Blank(key), teamId, Math.Clamp(limit ?? 100, 1, 1000), ct).ConfigureAwait(false);
        return TypedResults.Json(new ListDto<EvalRunSummary>(runs), EvalRunsJsonContext.Default.ListDtoEvalRunSummary);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
