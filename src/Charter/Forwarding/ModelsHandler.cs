// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Errors;
using Charter.Keys;
using Charter.Routing;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Serves <c>GET /v1/models</c>: the models this key may use.</summary>
/// <remarks>Named routes are listed directly; a catch-all route lists its accounts' own model lists (cached a minute).</remarks>
public sealed class ModelsHandler(KeyRegistry keys, RouteTable routes, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, List<string> Models)? _wildcardCache;

    /// <summary>Handles the request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? await keys.AuthenticateAsync(header.AsSpan(7).Trim()).ConfigureAwait(false) : null;
        if (key is null || key.State is "revoked")
        {
            await OpenAiErrorWriter.WriteAsync(context, CharterError.InvalidApiKey, "Incorrect API key provided.").ConfigureAwait(false);
            return;
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in routes.Named)
        {
            names.Add(r.Name);
        }

        if (routes.Wildcard is { } wildcard)
        {
            foreach (var m in await WildcardModelsAsync(wildcard, context.RequestAborted).ConfigureAwait(false))
            {
                names.Add(m);
            }
        }

        if (key.Models is { Count: > 0 } allowed)
        {
            names.IntersectWith(allowed);
            if (routes.Wildcard is not null)
            {
                names.UnionWith(allowed);
            }
        }

        var created = time.GetUtcNow().ToUnixTimeSeconds();
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        foreach (var n in names)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, n);
            w.WriteString("object"u8, "model"u8);
            w.WriteNumber("created"u8, created);
            w.WriteString("owned_by"u8, OwnerOf(n));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private string OwnerOf(string model)
    {
        var route = routes.Resolve(model);
        return route is { Targets.Length: > 0 } ? route.Targets[0].Account.Id : "charter";
    }

    private async Task<List<string>> WildcardModelsAsync(ModelRoute wildcard, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_wildcardCache is { } c && now - c.At < TimeSpan.FromMinutes(1))
        {
            return c.Models;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var list = new List<string>();
            foreach (var target in wildcard.Targets)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, target.Account.ModelsUri);
                    target.Account.Authorize(request);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    using var response = await target.Account.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        continue;
                    }

                    var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    using var doc = JsonDocument.Parse(bytes);
                    if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var m in data.EnumerateArray())
                        {
                            if (m.TryGetProperty("id", out var id) && id.GetString() is { } s)
                            {
                                list.Add(s);
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
                {
                    // An account that cannot list its models contributes none.
                }
            }

            _wildcardCache = (now, list);
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }
}
