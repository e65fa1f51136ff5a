// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Errors;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Charter.Routing;
using Charter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Admin;

/// <summary>Lifecycle endpoints: <c>POST /admin/v1/{keys|teams|accounts}/{id}/transitions</c> and <c>GET …/{id}/history</c>.</summary>
public static class LifecycleApi
{
    private const int MaxDecisions = 200;

    /// <summary>Maps the lifecycle endpoints.</summary>
    public static IEndpointRouteBuilder MapLifecycleApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var (plural, kind) in new[] { ("keys", EntityKind.Key), ("teams", EntityKind.Team), ("accounts", EntityKind.Account) })
        {
            var k = kind;
            // Delegates with the route's id (rather than RequestDelegates) so that the admin OpenAPI document lists them;
            // the handlers read the id, the body and the response themselves.
            app.MapPost($"/admin/v1/{plural}/{{id}}/transitions", (Delegate)((HttpContext http, string id) => TransitionAsync(http, k)))
                .WithName($"Transition{plural}").WithTags("admin").WithSummary($"Apply a lifecycle event to one of the {plural}.")
                .Accepts<LifecycleTransitionRequest>("application/json").Produces<LifecycleTransitionDto>()
                .Produces<LifecycleErrorDto>(StatusCodes.Status400BadRequest).Produces<LifecycleErrorDto>(StatusCodes.Status404NotFound)
                .Produces<LifecycleErrorDto>(StatusCodes.Status409Conflict);
            app.MapGet($"/admin/v1/{plural}/{{id}}/history", (Delegate)((HttpContext http, string id) => HistoryAsync(http, k)))
                .WithName($"History{plural}").WithTags("admin").WithSummary($"Lifecycle, transitions and deny/flag decisions of one of the {plural}.")
                .Produces<LifecycleHistoryDto>().Produces<LifecycleErrorDto>(StatusCodes.Status404NotFound);
        }

        return app;
    }

    /// <summary>Maps a lifecycle to its DTO.</summary>
    public static LifecycleEntityDto ToDto(EntityLifecycle lc)
    {
        ArgumentNullException.ThrowIfNull(lc);
        var holds = new List<string>(3);
        foreach (var h in (LifecycleHolds[])[LifecycleHolds.Geo, LifecycleHolds.Budget, LifecycleHolds.ProviderSuspended])
        {
            if ((lc.Holds & h) != 0)
            {
                holds.Add(h.ToWireName());
            }
        }

        var measures = new List<LifecycleMeasureDto>(lc.Measures.Count);
        for (var i = 0; i < lc.Measures.Count; i++)
        {
            var m = lc.Measures[i];
            measures.Add(new LifecycleMeasureDto(i, m.Description, m.Done, m.CompletedAt, m.CompletedBy));
        }

        return new LifecycleEntityDto(lc.Kind.ToWireName(), lc.Id, lc.State.ToWireName(), holds, lc.Reason, measures, lc.Deadline, lc.Since, lc.Version,
            lc.AccessAllowed, [.. LifecycleMachine.AllowedEvents(lc).Select(e => e.ToWireName())]);
    }

    private static async Task TransitionAsync(HttpContext http, EntityKind kind)
    {
        var principal = await AdminApi.AuthorizeAsync(http).ConfigureAwait(false);
        if (principal is null)
        {
            return;
        }

        var id = await ResolveAsync(http, kind).ConfigureAwait(false);
        if (id is null)
        {
            return;
        }

        LifecycleTransitionRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, LifecycleApiJsonContext.Default.LifecycleTransitionRequest, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(http, 400, "invalid_request", "The body is not a valid transition: " + ex.Message, []).ConfigureAwait(false);
            return;
        }

        if (body is null || !LifecycleNames.TryParseEvent(body.Event, out var ev) || ev == LifecycleEvent.DeadlineExpired)
        {
            await ErrorAsync(http, 400, "invalid_request",
                $"'event' must be one of review, suspend, complete_measure, reinstate, ban, revoke, place_hold, clear_hold (got '{body?.Event}').", []).ConfigureAwait(false);
            return;
        }

        var hold = LifecycleHolds.None;
        if (ev is LifecycleEvent.PlaceHold or LifecycleEvent.ClearHold && !LifecycleNames.TryParseHold(body.Hold, out hold))
        {
            await ErrorAsync(http, 400, "invalid_request", $"'hold' must be geo, budget or provider_suspended for {body.Event} (got '{body.Hold}').", []).ConfigureAwait(false);
            return;
        }

        var command = new LifecycleCommand
        {
            Event = ev,
            Actor = "admin:" + principal.Id,
            Reason = body.Reason,
            Measures = body.Measures ?? [],
            Deadline = body.Deadline,
            MeasureIndex = body.MeasureIndex ?? -1,
            Hold = hold,
        };
        var coordinator = http.RequestServices.GetRequiredService<LifecycleCoordinator>();
        var result = await coordinator.ApplyAsync(kind, id, command, http.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var status = result.Error.Code switch
            {
                "invalid_command" => 400,
                _ => 409,
            };
            await ErrorAsync(http, status, result.Error.Code, result.Error.Message, [.. result.Error.AllowedEvents.Select(e => e.ToWireName())]).ConfigureAwait(false);
            return;
        }

        var t = result.Transition;
        var dto = new LifecycleTransitionDto(t.Event.ToWireName(), t.From.ToWireName(), t.To.ToWireName(), t.Actor, t.Reason, t.At, ToDto(result.Lifecycle));
        await http.Response.WriteAsJsonAsync(dto, LifecycleApiJsonContext.Default.LifecycleTransitionDto, cancellationToken: http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task HistoryAsync(HttpContext http, EntityKind kind)
    {
        var principal = await AdminApi.AuthorizeAsync(http).ConfigureAwait(false);
        if (principal is null)
        {
            return;
        }

        var id = await ResolveAsync(http, kind).ConfigureAwait(false);
        if (id is null)
        {
            return;
        }

        var ct = http.RequestAborted;
        var store = http.RequestServices.GetRequiredService<IGatewayStore>();
        var coordinator = http.RequestServices.GetRequiredService<LifecycleCoordinator>();
        var lc = await coordinator.GetAsync(kind, id, ct).ConfigureAwait(false);
        var history = await store.GetHistoryAsync(kind.ToWireName(), id, ct).ConfigureAwait(false);
        var transitions = history.Select(h => new HistoryDto(h.At, h.Event, h.From, h.To, h.Actor, h.Reason, h.Detail)).ToList();
        var decisions = new List<LifecycleDecisionDto>();
        await foreach (var r in store.ReadRequestsAsync(null, null, ct).ConfigureAwait(false))
        {
            if (r.Decision is not ("deny" or "flag"))
            {
                continue;
            }

            var involved = kind switch
            {
                EntityKind.Key => r.Key == id,
                EntityKind.Team => r.Team == id,
                _ => r.Account == id,
            };
            if (involved)
            {
                decisions.Add(new LifecycleDecisionDto(r.Id, r.Ts, r.Decision, r.ErrorCode, r.Rule, r.Key, r.Account, r.Purpose, r.Model));
            }
        }

        var dto = new LifecycleHistoryDto(ToDto(lc), transitions, decisions.Count > MaxDecisions ? decisions[^MaxDecisions..] : decisions);
        await http.Response.WriteAsJsonAsync(dto, LifecycleApiJsonContext.Default.LifecycleHistoryDto, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>The key, team or account named by the route's <c>id</c>; writes a 404 and returns null when there is none.</summary>
    internal static async Task<string?> ResolveAsync(HttpContext http, EntityKind kind)
    {
        var raw = http.Request.RouteValues["id"] as string ?? "";
        var store = http.RequestServices.GetRequiredService<IGatewayStore>();
        string? id = kind switch
        {
            EntityKind.Key => (await store.GetKeyAsync(raw, http.RequestAborted).ConfigureAwait(false))?.Id,
            EntityKind.Team => (await store.FindTeamAsync(raw, http.RequestAborted).ConfigureAwait(false))?.Id,
            _ => http.RequestServices.GetRequiredService<RouteTable>().Accounts.ContainsKey(raw) ? raw : null,
        };
        if (id is null)
        {
            await ErrorAsync(http, 404, "not_found", $"No {kind.ToWireName()} with id '{raw}'.", []).ConfigureAwait(false);
        }

        return id;
    }


    /// <summary>Writes an admin error body.</summary>
    internal static Task ErrorAsync(HttpContext http, int status, string code, string message, IReadOnlyList<string> allowed)
    {
        http.Response.StatusCode = status;
        var type = status == 404 ? "not_found_error" : status == 409 ? "conflict_error" : "invalid_request_error";
        return http.Response.WriteAsJsonAsync(new LifecycleErrorDto(new LifecycleErrorBody(message, type, code, allowed)),
            LifecycleApiJsonContext.Default.LifecycleErrorDto, cancellationToken: http.RequestAborted);
    }
}
