// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.UsageReports;

/// <summary><c>GET /admin/v1/usage?group_by=team,model,purpose&amp;from=&amp;to=</c> (admin and auditor keys).</summary>
public static class UsageApi
{
    /// <summary>Maps the usage endpoint under <c>/admin/v1</c> with the admin API's authentication.</summary>
    public static RouteGroupBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/v1").WithTags("admin").AddEndpointFilter(AdminApi.AuthorizeAsync);
        group.MapGet("/usage", GetUsageAsync).WithName("GetUsage")
            .WithSummary("Requests, tokens and spend, grouped by a subset of key, team, model, purpose, day; from inclusive, to exclusive.");
        return group;
    }

    private static async Task<IResult> GetUsageAsync(HttpContext http, [FromQuery(Name = "group_by")] string? groupBy, [FromQuery] string? from, [FromQuery] string? to)
    {
        if (!UsageGrouping.TryParse(groupBy, out var dims, out var error)
            || !UsageGrouping.TryParseTime(from, out var fromTs, out error)
            || !UsageGrouping.TryParseTime(to, out var toTs, out error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        IUsageQuery? query;
        try
        {
            query = http.RequestServices.GetService<IUsageQuery>();
        }
        catch (NotSupportedException)
        {
            query = null;
        }

        if (query is null)
        {
            return TypedResults.Problem("Usage queries are not available for this database.", statusCode: StatusCodes.Status501NotImplemented);
        }

        var rows = await query.QueryAsync(dims, fromTs, toTs, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(UsageReportDto.Create(dims, fromTs, toTs, rows), UsageJsonContext.Default.UsageReportDto);
    }
}
