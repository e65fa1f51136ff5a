// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Audit.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Audit.Http;

/// <summary>The audit HTTP API under <c>/audit/v1</c>.</summary>
/// <remarks>
/// <c>public-key</c> is open; everything else asks <see cref="IAuditAuthorizer"/> (admin or auditor).
/// Needs <see cref="AuditLog"/> and <see cref="IAuditAuthorizer"/> in DI (see <see cref="AuditServiceCollectionExtensions.AddCharterAudit"/>).
/// </remarks>
public static class AuditApi
{
    /// <summary>Most entries returned by one <c>entries</c> call.</summary>
    public const int MaxEntriesPerPage = 1000;

    /// <summary>Maps the audit endpoints.</summary>
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/audit/v1");
        group.MapGet("/public-key", (Delegate)GetPublicKeyAsync).WithName("AuditPublicKey").WithSummary("The log's Ed25519 note verifier keys (current and retired).");
        group.MapGet("/checkpoint", (Delegate)GetCheckpointAsync).WithName("AuditCheckpoint").WithSummary("The newest signed checkpoint (C2SP signed note, text/plain).");
        group.MapGet("/proof/inclusion", (Delegate)GetInclusionAsync).WithName("AuditInclusionProof").WithSummary("RFC 9162 inclusion proof of a leaf in a tree size.");
        group.MapGet("/proof/consistency", (Delegate)GetConsistencyAsync).WithName("AuditConsistencyProof").WithSummary("RFC 9162 consistency proof between two tree sizes.");
        group.MapGet("/status", (Delegate)GetStatusAsync).WithName("AuditStatus").WithSummary("This instance's part in the log: size, newest checkpoint, whether it is the sequencer.");
        group.MapGet("/entries", (Delegate)GetEntriesAsync).WithName("AuditEntries").WithSummary("Leaves [start, end) with their hashes.");
        return group;
    }

    private static async Task<IResult> GetPublicKeyAsync(HttpContext context)
    {
        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var key = await log.GetVerifierKeyAsync(context.RequestAborted).ConfigureAwait(false);
        var keys = await log.GetKeysAsync(context.RequestAborted).ConfigureAwait(false);
        var all = new List<string>(keys.Count);
        foreach (var k in keys)
        {
            all.Add(k.VerifierKey);
        }

        if (context.Request.Query["format"] == "vkey")
        {
            return Results.Text(string.Join('\n', all) + "\n", "text/plain; charset=utf-8");
        }

        var body = new PublicKeyResponse(log.Origin, key.Text, key.KeyId.ToString("x8", CultureInfo.InvariantCulture), Convert.ToBase64String(key.PublicKeyBytes), all);
        return Results.Json(body, AuditJsonContext.Readable.PublicKeyResponse);
    }

    private static async Task<IResult> GetCheckpointAsync(HttpContext context)
    {
        if (await DenyAsync(context).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var checkpoint = await log.GetLatestCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        return checkpoint is null
            ? Error(StatusCodes.Status404NotFound, "no_checkpoint", "The log has no signed checkpoint yet.")
            : Results.Text(checkpoint.Note, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> GetStatusAsync(HttpContext context)
    {
        if (await DenyAsync(context).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var queue = context.RequestServices.GetService<IAuditQueueStore>();
        var elected = context.RequestServices.GetService<AuditOptions>()?.ElectSequencer == true && queue is not null;
        var size = await log.GetSizeAsync(context.RequestAborted).ConfigureAwait(false);
        var checkpoint = await log.GetLatestCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        long? queued = elected ? await queue!.CountQueuedAsync(context.RequestAborted).ConfigureAwait(false) : null;
        var body = new AuditStatusResponse(log.Origin, size, checkpoint?.Size, elected ? "elected" : "direct", log.IsWriter, queued);
        return Results.Json(body, AuditJsonContext.Readable.AuditStatusResponse);
    }

    private static async Task<IResult> GetInclusionAsync(HttpContext context)
    {
        if (await DenyAsync(context).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var logSize = await log.GetSizeAsync(context.RequestAborted).ConfigureAwait(false);
        if (!TryQuery(context, "index", null, out var index) || !TryQuery(context, "size", logSize, out var size))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", "index and size must be non-negative integers.");
        }

        if (size > logSize || index >= size)
        {
            return Error(StatusCodes.Status400BadRequest, "out_of_range", $"Need index < size <= {logSize}.");
        }

        var proof = await log.GetInclusionProofAsync(index, size, context.RequestAborted).ConfigureAwait(false);
        var leaf = await log.GetEntriesAsync(index, index + 1, context.RequestAborted).ConfigureAwait(false);
        var leafHash = leaf.Count == 1 ? Convert.ToBase64String(leaf[0].Hash) : string.Empty;
        return Results.Json(new InclusionProofResponse(index, size, leafHash, ToBase64(proof)), AuditJsonContext.Readable.InclusionProofResponse);
    }

    private static async Task<IResult> GetConsistencyAsync(HttpContext context)
    {
        if (await DenyAsync(context).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var logSize = await log.GetSizeAsync(context.RequestAborted).ConfigureAwait(false);
        if (!TryQuery(context, "from", null, out var from) || !TryQuery(context, "to", logSize, out var to))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", "from and to must be non-negative integers.");
        }

        if (to > logSize || from > to)
        {
            return Error(StatusCodes.Status400BadRequest, "out_of_range", $"Need from <= to <= {logSize}.");
        }

        var proof = await log.GetConsistencyProofAsync(from, to, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ConsistencyProofResponse(from, to, ToBase64(proof)), AuditJsonContext.Readable.ConsistencyProofResponse);
    }

    private static async Task<IResult> GetEntriesAsync(HttpContext context)
    {
        if (await DenyAsync(context).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var logSize = await log.GetSizeAsync(context.RequestAborted).ConfigureAwait(false);
        if (!TryQuery(context, "start", null, out var start) || !TryQuery(context, "end", Math.Min(logSize, start + MaxEntriesPerPage), out var end))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_parameter", "start and end must be non-negative integers.");
        }

        if (start > end || end > logSize)
        {
            return Error(StatusCodes.Status400BadRequest, "out_of_range", $"Need start <= end <= {logSize}.");
        }

        end = Math.Min(end, start + MaxEntriesPerPage);
        var leaves = await log.GetEntriesAsync(start, end, context.RequestAborted).ConfigureAwait(false);
        var entries = new List<EntryResponse>(leaves.Count);
        foreach (var leaf in leaves)
        {
            entries.Add(new EntryResponse(leaf.Index, Convert.ToBase64String(leaf.Hash), System.Text.Encoding.UTF8.GetString(leaf.Data.Span)));
        }

        return Results.Json(new EntriesResponse(start, end, entries), AuditJsonContext.Readable.EntriesResponse);
    }

    private static async ValueTask<IResult?> DenyAsync(HttpContext context)
    {
        var authorizer = context.RequestServices.GetService<IAuditAuthorizer>() ?? new DenyAllAuditAuthorizer();
        return await authorizer.AuthorizeAsync(context).ConfigureAwait(false) switch
        {
            AuditAccess.Allowed => null,
            AuditAccess.Forbidden => Error(StatusCodes.Status403Forbidden, "forbidden", "The admin or auditor role is required."),
            _ => Error(StatusCodes.Status401Unauthorized, "unauthenticated", "An admin or auditor key is required."),
        };
    }

    private static bool TryQuery(HttpContext context, string name, long? fallback, out long value)
    {
        var raw = context.Request.Query[name].ToString();
        if (raw.Length == 0 && fallback is { } f)
        {
            value = f;
            return true;
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static List<string> ToBase64(IReadOnlyList<byte[]> hashes)
    {
        var list = new List<string>(hashes.Count);
        foreach (var h in hashes)
        {
            list.Add(Convert.ToBase64String(h));
        }

        return list;
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new AuditErrorResponse(new AuditError(code, message)), AuditJsonContext.Readable.AuditErrorResponse, statusCode: status);
}
