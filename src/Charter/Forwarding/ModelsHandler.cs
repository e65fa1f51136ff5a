// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Errors;
using Charter.Keys;
using Charter.Routing;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Serves <c>GET /v1/models</c> (the models this key may use) and <c>GET /v1/models/{model}</c> (one of them).</summary>
/// <remarks>Named routes are listed directly; a catch-all route lists its accounts' own model lists (cached a minute). A
/// request with an <c>anthropic-version</c> header (the Anthropic SDKs send it) gets Anthropic's shapes: the model objects,
/// the list's paging members (everything on one page) and the errors.</remarks>
public sealed class ModelsHandler(KeyRegistry keys, RouteTable routes, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, List<string> Models)? _wildcardCache;

    /// <summary>Handles <c>GET /v1/models</c>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await ModelsForAsync(context).ConfigureAwait(false) is not { } names)
        {
            return;
        }

        var created = time.GetUtcNow();
        var anthropic = IsAnthropic(context);
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        if (!anthropic)
        {
            w.WriteString("object"u8, "list"u8);
        }

        w.WriteStartArray("data"u8);
        foreach (var n in names)
        {
            WriteModel(w, n, created, anthropic);
        }

        w.WriteEndArray();
        if (anthropic)
        {
            w.WriteBoolean("has_more"u8, false);
            WriteStringOrNull(w, "first_id"u8, names.Count > 0 ? names.Min : null);
            WriteStringOrNull(w, "last_id"u8, names.Count > 0 ? names.Max : null);
        }

        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Handles <c>GET /v1/models/{model}</c>: the model object, or 404 <c>model_not_found</c> as OpenAI answers.</summary>
    public async Task HandleRetrieveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await ModelsForAsync(context).ConfigureAwait(false) is not { } names)
        {
            return;
        }

        var id = context.Request.RouteValues["model"] as string ?? string.Empty;
        if (!names.Contains(id))
        {
            await WriteErrorAsync(context, CharterError.ModelNotFound, $"The model '{id}' does not exist or you do not have access to it.", "model").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        WriteModel(w, id, time.GetUtcNow(), IsAnthropic(context));
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The models the request's key may use, or null after answering 401.</summary>
    private async Task<SortedSet<string>?> ModelsForAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var apiKey = context.Request.Headers["x-api-key"].ToString(); // Anthropic's SDKs
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? await keys.AuthenticateAsync(header.AsSpan(7).Trim()).ConfigureAwait(false)
            : apiKey.Length > 0 ? await keys.AuthenticateAsync(apiKey).ConfigureAwait(false) : null;
        if (key is null || key.State is "revoked" || key.IsExpired(time.GetUtcNow()))
        {
            await WriteErrorAsync(context, CharterError.InvalidApiKey, "Incorrect API key provided.").ConfigureAwait(false);
            return null;
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

        return names;
    }

    private void WriteModel(Utf8JsonWriter w, string name, DateTimeOffset created, bool anthropic)
    {
        w.WriteStartObject();
        if (anthropic)
        {
            w.WriteString("type"u8, "model"u8);
            w.WriteString("id"u8, name);
            w.WriteString("display_name"u8, name);
            w.WriteString("created_at"u8, created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteString("id"u8, name);
            w.WriteString("object"u8, "model"u8);
            w.WriteNumber("created"u8, created.ToUnixTimeSeconds());
            w.WriteString("owned_by"u8, OwnerOf(name));
        }

        w.WriteEndObject();
    }

    private static bool IsAnthropic(HttpContext context) => context.Request.Headers.ContainsKey("anthropic-version");

    private static Task WriteErrorAsync(HttpContext context, CharterError error, string message, string? param = null) =>
        IsAnthropic(context) ? AnthropicErrorWriter.WriteAsync(context, error, message, param) : OpenAiErrorWriter.WriteAsync(context, error, message, param);

    private static void WriteStringOrNull(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
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
