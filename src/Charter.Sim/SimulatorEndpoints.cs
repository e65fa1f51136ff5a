// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Charter.Sim;

/// <summary>Maps the simulator's OpenAI, Azure OpenAI, Anthropic and control routes onto an ASP.NET Core app.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>POST {prefix}/v1/chat/completions</c>, <c>POST {prefix}/v1/completions</c> (legacy), <c>POST {prefix}/v1/embeddings</c>, <c>GET {prefix}/v1/models[/{model}]</c></item>
/// <item><c>POST {prefix}/v1/moderations</c> (OpenAI only: Azure OpenAI has no moderations endpoint)</item>
/// <item>Azure classic: <c>POST {prefix}/openai/deployments/{deployment}/chat/completions|completions|embeddings?api-version=…</c> (api-version and <c>api-key</c> required)</item>
/// <item>Responses API: <c>POST {prefix}/v1/responses</c>, Azure v1 <c>POST {prefix}/openai/v1/responses</c> (named SSE events when streamed)</item>
/// <item>Stored responses: <c>GET|DELETE {prefix}/v1/responses/{id}</c>, <c>GET …/{id}/input_items</c>, <c>POST …/{id}/cancel</c> (also under <c>/openai/v1</c>)</item>
/// <item>Azure v1: <c>POST {prefix}/openai/v1/chat/completions|completions|embeddings|responses</c>, <c>GET {prefix}/openai/v1/models</c> (<c>api-key</c> required)</item>
/// <item>Anthropic: <c>POST {prefix}/v1/messages</c> (Messages API; <c>anthropic-version</c> and <c>x-api-key</c> required; errors and SSE events in Anthropic's shape)</item>
/// <item>Anthropic: <c>POST {prefix}/v1/messages/count_tokens</c> (token counting: <c>{"input_tokens":N}</c>, the <c>usage.input_tokens</c> of <c>/v1/messages</c>; same headers and errors)</item>
/// <item>Control: <c>GET {prefix}/_sim/requests</c>, <c>POST {prefix}/_sim/reset</c>, <c>GET|POST {prefix}/_sim/config</c></item>
/// </list>
/// </remarks>
public static class SimulatorEndpoints
{
    /// <summary>Maps every simulator route under <paramref name="prefix"/> (e.g. "" or "/sim").</summary>
    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder app, Simulator sim, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(sim);
        prefix = (prefix ?? string.Empty).TrimEnd('/');

        Api(app, sim, "POST", prefix + "/v1/chat/completions", SimEndpoint.ChatCompletions, SimFlavor.OpenAI);
        Api(app, sim, "POST", prefix + "/v1/completions", SimEndpoint.Completions, SimFlavor.OpenAI);
        Api(app, sim, "POST", prefix + "/v1/embeddings", SimEndpoint.Embeddings, SimFlavor.OpenAI);
        Api(app, sim, "POST", prefix + "/v1/moderations", SimEndpoint.Moderations, SimFlavor.OpenAI);
        Api(app, sim, "GET", prefix + "/v1/models", SimEndpoint.Models, SimFlavor.OpenAI);
        Api(app, sim, "GET", prefix + "/v1/models/{model}", SimEndpoint.Model, SimFlavor.OpenAI);
        Api(app, sim, "POST", prefix + "/openai/deployments/{deployment}/chat/completions", SimEndpoint.ChatCompletions, SimFlavor.AzureClassic);
        Api(app, sim, "POST", prefix + "/openai/deployments/{deployment}/completions", SimEndpoint.Completions, SimFlavor.AzureClassic);
        Api(app, sim, "POST", prefix + "/openai/deployments/{deployment}/embeddings", SimEndpoint.Embeddings, SimFlavor.AzureClassic);
        Api(app, sim, "POST", prefix + "/openai/v1/chat/completions", SimEndpoint.ChatCompletions, SimFlavor.AzureV1);
        Api(app, sim, "POST", prefix + "/openai/v1/completions", SimEndpoint.Completions, SimFlavor.AzureV1);
        Api(app, sim, "POST", prefix + "/openai/v1/embeddings", SimEndpoint.Embeddings, SimFlavor.AzureV1);
        Api(app, sim, "GET", prefix + "/openai/v1/models", SimEndpoint.Models, SimFlavor.AzureV1);
        Api(app, sim, "POST", prefix + "/v1/messages", SimEndpoint.Messages, SimFlavor.Anthropic);
        Api(app, sim, "POST", prefix + "/v1/messages/count_tokens", SimEndpoint.MessagesCountTokens, SimFlavor.Anthropic);
        Api(app, sim, "POST", prefix + "/v1/responses", SimEndpoint.Responses, SimFlavor.OpenAI);
        Api(app, sim, "POST", prefix + "/openai/v1/responses", SimEndpoint.Responses, SimFlavor.AzureV1);
        foreach (var (root, flavor) in (ReadOnlySpan<(string, SimFlavor)>)[("/v1/responses/", SimFlavor.OpenAI), ("/openai/v1/responses/", SimFlavor.AzureV1)])
        {
            Api(app, sim, "GET", prefix + root + "{id}", SimEndpoint.ResponseGet, flavor);
            Api(app, sim, "DELETE", prefix + root + "{id}", SimEndpoint.ResponseDelete, flavor);
            Api(app, sim, "GET", prefix + root + "{id}/input_items", SimEndpoint.ResponseInputItems, flavor);
            Api(app, sim, "POST", prefix + root + "{id}/cancel", SimEndpoint.ResponseCancel, flavor);
        }

        app.MapGet(prefix + "/_sim/requests", context => WriteJsonAsync(context, 200, sim, static (w, s) => s.WriteSeen(w)));
        app.MapPost(prefix + "/_sim/reset", context =>
        {
            sim.Reset();
            return WriteJsonAsync(context, 200, sim, static (w, s) => s.WriteConfig(w));
        });
        app.MapGet(prefix + "/_sim/config", context => WriteJsonAsync(context, 200, sim, static (w, s) => s.WriteConfig(w)));
        app.MapPost(prefix + "/_sim/config", async context =>
        {
            var body = await ReadBodyAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
            var error = sim.ApplyConfigJson(body.Buffer);
            context.Request.BodyReader.AdvanceTo(body.Buffer.End);
            if (error is not null)
            {
                await WriteJsonAsync(context, error.Status, error, static (w, e) => Simulator.WriteError(w, e)).ConfigureAwait(false);
                return;
            }

            await WriteJsonAsync(context, 200, sim, static (w, s) => s.WriteConfig(w)).ConfigureAwait(false);
        });
        return app;
    }

    private static void Api(IEndpointRouteBuilder app, Simulator sim, string method, string pattern, SimEndpoint endpoint, SimFlavor flavor)
    {
        app.MapMethods(pattern, [method], context => HandleAsync(context, sim, endpoint, flavor));
    }

    private static async Task HandleAsync(HttpContext context, Simulator sim, SimEndpoint endpoint, SimFlavor flavor)
    {
        var request = context.Request;
        var headers = request.Headers;
        var deployment = endpoint switch
        {
            SimEndpoint.Model => request.RouteValues["model"] as string,
            SimEndpoint.ResponseGet or SimEndpoint.ResponseDelete or SimEndpoint.ResponseInputItems or SimEndpoint.ResponseCancel => request.RouteValues["id"] as string,
            _ => flavor == SimFlavor.AzureClassic ? request.RouteValues["deployment"] as string : null,
        };
        string? apiVersion;
        bool credential;
        if (flavor == SimFlavor.Anthropic)
        {
            apiVersion = headers["anthropic-version"];
            credential = !string.IsNullOrEmpty(headers["x-api-key"]);
        }
        else
        {
            apiVersion = request.Query["api-version"];
            credential = !string.IsNullOrEmpty(headers["api-key"]) || !string.IsNullOrEmpty(headers.Authorization);
        }

        string? charterId = headers["X-Charter-Request-Id"];
        var info = new SimRequest(endpoint, flavor, deployment, apiVersion, credential, charterId, request.QueryString.Value);
        var cancellationToken = context.RequestAborted;

        SimResponse response;
        if (endpoint is SimEndpoint.ChatCompletions or SimEndpoint.Completions or SimEndpoint.Embeddings or SimEndpoint.Moderations or SimEndpoint.Messages
            or SimEndpoint.MessagesCountTokens or SimEndpoint.Responses)
        {
            var body = await ReadBodyAsync(request.BodyReader, cancellationToken).ConfigureAwait(false);
            response = sim.Handle(info, body.Buffer);
            request.BodyReader.AdvanceTo(body.Buffer.End);
        }
        else
        {
            response = sim.Handle(info, ReadOnlySequence<byte>.Empty);
        }

        using (response)
        {
            await SendAsync(context, sim, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(HttpContext context, Simulator sim, SimResponse response, CancellationToken cancellationToken)
    {
        var http = context.Response;
        try
        {
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, sim.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            http.StatusCode = response.StatusCode;
            http.Headers[response.RequestIdHeader] = response.RequestId;
            if (response.RetryAfterSeconds >= 0)
            {
                http.Headers.RetryAfter = response.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (response.Stream is { } stream)
            {
                http.ContentType = "text/event-stream; charset=utf-8";
                http.Headers.CacheControl = "no-cache";
                var outcome = await stream.WriteAsync(http.BodyWriter, cancellationToken).ConfigureAwait(false);
                if (outcome == StreamOutcome.Dropped)
                {
                    context.Abort();
                }

                return;
            }

            var body = response.Body!;
            http.ContentType = "application/json";
            http.ContentLength = body.WrittenCount;
            if (response.Drop)
            {
                await http.BodyWriter.WriteAsync(body.WrittenMemory[..(body.WrittenCount / 2)], cancellationToken).ConfigureAwait(false);
                context.Abort();
                return;
            }

            await http.BodyWriter.WriteAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to send.
        }
    }

    /// <summary>Answers 404 with an OpenAI-shaped <c>unknown_url</c> error.</summary>
    internal static Task WriteNotFoundAsync(HttpContext context)
    {
        var error = new SimError(404, $"Unknown request URL: {context.Request.Method} {context.Request.Path}.", "invalid_request_error", null, "unknown_url");
        return WriteJsonAsync(context, 404, error, static (w, e) => Simulator.WriteError(w, e));
    }

    internal static async ValueTask<ReadResult> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static Task WriteJsonAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var body = new PooledBufferWriter(1024);
        using (var w = new Utf8JsonWriter(body, ChatWriter.WriterOptions))
        {
            write(w, state);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.WrittenCount;
        return WriteAndReturnAsync(context.Response, body, context.RequestAborted);
    }

    private static async Task WriteAndReturnAsync(HttpResponse response, PooledBufferWriter body, CancellationToken cancellationToken)
    {
        using (body)
        {
            await response.BodyWriter.WriteAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }
}
