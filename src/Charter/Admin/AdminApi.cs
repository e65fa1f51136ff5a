// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;
using Charter.Errors;
using Charter.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Admin;

/// <summary>The admin REST API under <c>/admin/v1</c>: admin keys with roles, separate from user keys.</summary>
public static class AdminApi
{
    private const string PrincipalItem = "charter.admin";

    /// <summary>Maps the admin endpoints.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/v1").WithTags("admin").AddEndpointFilter(AuthorizeAsync);
        group.MapPost("/teams", CreateTeamAsync).WithName("CreateTeam").WithSummary("Create a team.");
        group.MapGet("/teams", ListTeamsAsync).WithName("ListTeams").WithSummary("List teams.");
        group.MapPost("/keys", CreateKeyAsync).WithName("CreateKey").WithSummary("Create a key; the secret is shown once.");
        group.MapGet("/keys", ListKeysAsync).WithName("ListKeys").WithSummary("List keys (never secrets), optionally of one team (id or name) or in one state.");
        group.MapGet("/keys/{id}", GetKeyAsync).WithName("GetKey").WithSummary("Get one key.");
        group.MapMethods("/keys/{id}", [HttpMethods.Patch], UpdateKeyAsync).WithName("UpdateKey")
            .WithSummary("Change a key's name, purposes, default purpose, jurisdiction, model allow-list or expiry (the members given; null clears).")
            .Accepts<UpdateKeyRequest>("application/json");
        group.MapDelete("/keys/{id}", RevokeKeyAsync).WithName("RevokeKey").WithSummary("Revoke a key (terminal).");
        group.MapPost("/keys/{id}/rotate", RotateKeyAsync).WithName("RotateKey")
            .WithSummary("Give a key a new secret (shown once), keeping its id, purposes, limits and history; the old secret is accepted for grace_seconds more.");
        group.MapPost("/admin-keys", CreateAdminKeyAsync).WithName("CreateAdminKey").WithSummary("Create an admin or auditor key; the secret is shown once.");
        group.MapGet("/admin-keys", ListAdminKeysAsync).WithName("ListAdminKeys").WithSummary("List the stored admin and auditor keys (never secrets).");
        group.MapDelete("/admin-keys/{id}", RevokeAdminKeyAsync).WithName("RevokeAdminKey").WithSummary("Revoke an admin or auditor key (terminal).");
        group.MapGet("/whoami", (HttpContext http) => TypedResults.Ok(new WhoAmIDto(Principal(http).Id, Principal(http).Role))).WithName("WhoAmI")
            .WithSummary("The admin key this request was made with: its id and role.");
        group.MapGet("/requests", ListRequestsAsync).WithName("ListRequests").WithSummary("Recent request records (no prompt text).");
        group.MapGet("/findings", ListFindingsAsync).WithName("ListFindings").WithSummary("Harvesting findings, newest first, with signals and sample request ids.");
        return group;
    }

    /// <summary>The admin caller of this request (set by the auth filter).</summary>
    public static AdminPrincipal Principal(HttpContext context) => (AdminPrincipal)context.Items[PrincipalItem]!;

    internal static async ValueTask<object?> AuthorizeAsync(EndpointFilterInvocationContext ctx, EndpointFilterDelegate next)
    {
        var http = ctx.HttpContext;
        var principal = await AuthorizeAsync(http).ConfigureAwait(false);
        if (principal is null)
        {
            return EmptyHttpResult.Instance;
        }

        http.Items[PrincipalItem] = principal;
        return await next(ctx).ConfigureAwait(false);
    }

    /// <summary>The admin principal (write role for anything but GET); writes a 401/403 and returns null otherwise.</summary>
    internal static async Task<AdminPrincipal?> AuthorizeAsync(HttpContext http)
    {
        var principal = await http.RequestServices.GetRequiredService<AdminAuthenticator>().AuthenticateAsync(http).ConfigureAwait(false);
        if (principal is null)
        {
            await WriteUnauthenticatedAsync(http).ConfigureAwait(false);
            return null;
        }

        if (!principal.CanWrite && !HttpMethods.IsGet(http.Request.Method))
        {
            await OpenAiErrorWriter.WriteAsync(http, CharterError.Forbidden, $"The role '{principal.Role}' is read-only.").ConfigureAwait(false);
            return null;
        }

        return principal;
    }

    /// <summary>Refuses a request without a valid admin key, as the endpoint filter does.</summary>
    internal static Task WriteUnauthenticatedAsync(HttpContext http) =>
        OpenAiErrorWriter.WriteAsync(http, CharterError.Unauthorized, "An admin key is required (Authorization: Bearer <admin key>); user keys are not accepted here.");

    /// <summary>True when the request carries a valid admin or auditor key.</summary>
    internal static async Task<bool> IsAuthenticatedAsync(HttpContext http) =>
        await http.RequestServices.GetRequiredService<AdminAuthenticator>().AuthenticateAsync(http).ConfigureAwait(false) is not null;

    private static async Task<Results<Created<TeamDto>, ProblemHttpResult>> CreateTeamAsync(CreateTeamRequest body, AdminService admin, HttpContext http)
    {
        var r = await admin.CreateTeamAsync(body.Name, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Created($"/admin/v1/teams/{r.Value!.Id}", AdminService.ToDto(r.Value)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Ok<ListDto<TeamDto>>> ListTeamsAsync(IGatewayStore store, CancellationToken ct)
    {
        var teams = await store.ListTeamsAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(new ListDto<TeamDto>([.. teams.Select(AdminService.ToDto)]));
    }

    private static async Task<Results<Created<KeyDto>, ProblemHttpResult>> CreateKeyAsync(CreateKeyRequest body, AdminService admin, HttpContext http)
    {
        var r = await admin.CreateKeyAsync(body, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Created($"/admin/v1/keys/{r.Value.Key.Id}", AdminService.ToDto(r.Value.Key, r.Value.Secret)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Ok<ListDto<KeyDto>>> ListKeysAsync(IGatewayStore store, [FromQuery] string? team, [FromQuery] string? state, CancellationToken ct)
    {
        IEnumerable<Charter.Keys.ApiKeyRecord> keys = await store.ListKeysAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(team))
        {
            // A team's id or its name, as key creation takes it.
            var teamId = (await store.FindTeamAsync(team, ct).ConfigureAwait(false))?.Id ?? team;
            keys = keys.Where(k => k.TeamId == teamId);
        }

        if (!string.IsNullOrEmpty(state))
        {
            keys = keys.Where(k => k.State == state);
        }

        return TypedResults.Ok(new ListDto<KeyDto>([.. keys.Select(k => AdminService.ToDto(k))]));
    }

    private static async Task<Results<Ok<KeyDto>, NotFound>> GetKeyAsync(string id, IGatewayStore store, CancellationToken ct)
    {
        var key = await store.GetKeyAsync(id, ct).ConfigureAwait(false);
        return key is null ? TypedResults.NotFound() : TypedResults.Ok(AdminService.ToDto(key));
    }

    private static async Task<Results<Ok<KeyDto>, ProblemHttpResult>> RevokeKeyAsync(string id, AdminService admin, HttpContext http)
    {
        var r = await admin.RevokeKeyAsync(id, Principal(http).Id, "revoked through the admin API", http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Ok(AdminService.ToDto(r.Value!)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    // The body is read as JSON by hand rather than bound, so that an absent member (unchanged) and a null one (cleared) differ
    // and the OpenAPI document still shows UpdateKeyRequest (a bound JsonElement would replace it).
    private static async Task<Results<Ok<KeyDto>, ProblemHttpResult>> UpdateKeyAsync(string id, AdminService admin, HttpContext http)
    {
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem("Send the members to change as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        System.Text.Json.JsonElement body;
        try
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            body = doc.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException ex)
        {
            return TypedResults.Problem("The body is not valid JSON: " + ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var r = await admin.UpdateKeyAsync(id, body, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Ok(AdminService.ToDto(r.Value!)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Results<Ok<KeyDto>, ProblemHttpResult>> RotateKeyAsync(string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RotateKeyRequest? body, AdminService admin, HttpContext http)
    {
        // Clamped only so that TimeSpan cannot overflow: a value out of range stays out of range, and the service refuses it.
        var grace = TimeSpan.FromSeconds(Math.Clamp(body?.GraceSeconds ?? 0, -1, (long)AdminService.MaxRotationGrace.TotalSeconds + 1));
        var r = await admin.RotateKeyAsync(id, grace, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Ok(AdminService.ToDto(r.Value.Key, r.Value.Secret)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Results<Created<AdminKeyDto>, ProblemHttpResult>> CreateAdminKeyAsync(CreateAdminKeyRequest body, AdminService admin, HttpContext http)
    {
        var r = await admin.CreateAdminKeyAsync(body.Role, body.Name, body.ExpiresAt, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok
            ? TypedResults.Created($"/admin/v1/admin-keys/{r.Value.Key.Id}", new AdminKeyDto(r.Value.Key.Id, r.Value.Key.Role, r.Value.Key.Name, r.Value.Secret) { ExpiresAt = r.Value.Key.ExpiresAt })
            : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Ok<ListDto<AdminKeyInfoDto>>> ListAdminKeysAsync(IGatewayStore store, AdminService admin, CancellationToken ct)
    {
        var keys = await store.ListAdminKeysAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(new ListDto<AdminKeyInfoDto>([.. keys.Select(admin.ToDto)]));
    }

    private static async Task<Results<Ok<AdminKeyInfoDto>, ProblemHttpResult>> RevokeAdminKeyAsync(string id, AdminService admin, HttpContext http)
    {
        var r = await admin.RevokeAdminKeyAsync(id, Principal(http).Id, http.RequestAborted).ConfigureAwait(false);
        return r.Ok ? TypedResults.Ok(admin.ToDto(r.Value!)) : TypedResults.Problem(r.Error, statusCode: r.Status);
    }

    private static async Task<Ok<ListDto<FindingRecord>>> ListFindingsAsync(IFindingStore findings, int? limit, CancellationToken ct)
    {
        var list = await findings.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), ct).ConfigureAwait(false);
        return TypedResults.Ok(new ListDto<FindingRecord>(list));
    }

    private static async Task<Ok<ListDto<RequestDto>>> ListRequestsAsync(IGatewayStore store, int? limit, CancellationToken ct)
    {
        var records = await store.ReadLatestRequestsAsync(Math.Clamp(limit ?? 100, 1, 1000), ct).ConfigureAwait(false);
        return TypedResults.Ok(new ListDto<RequestDto>([.. records.Select(r => new RequestDto(r.Id, r.Ts, r.Key, r.Team, r.Provider, r.Account, r.Model,
            r.Purpose, r.Endpoint, r.Status, r.ErrorCode, r.Decision, r.Rule, r.PromptTokens, r.CompletionTokens, r.Estimated, r.LatencyMs, r.EvalRun, r.FirstTokenMs, r.ResponseId))]));
    }
}
