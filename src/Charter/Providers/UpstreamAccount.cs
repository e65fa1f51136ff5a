// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Charter.Configuration;

namespace Charter.Providers;

/// <summary>A provider account ready for forwarding: URLs precomputed, credentials attached, its own connection pool.</summary>
/// <remarks>The credential lives only here and in the outgoing header; it is never logged or echoed.</remarks>
public sealed class UpstreamAccount
{
    private readonly ConcurrentDictionary<(string Model, UpstreamOperation Operation), Uri> _azureUris = new();
    private readonly string? _apiKey;
    private readonly Uri _chat;
    private readonly Uri _embeddings;
    private readonly Uri _completions;
    private readonly Uri _moderations;
    private readonly ProviderAccountOptions _options;

    /// <summary>Creates an account over <paramref name="invoker"/>.</summary>
    public UpstreamAccount(ProviderAccountOptions options, HttpMessageInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Id = options.Id;
        KindName = options.Kind;
        Kind = options.Kind switch
        {
            "openai" => ProviderKind.OpenAI,
            "azure-openai" => ProviderKind.AzureOpenAI,
            "sim" => ProviderKind.Sim,
            "anthropic" => ProviderKind.Anthropic,
            _ => ProviderKind.OpenAICompatible,
        };
        Invoker = invoker;
        _apiKey = !string.IsNullOrEmpty(options.ApiKeyEnv) ? Environment.GetEnvironmentVariable(options.ApiKeyEnv) : options.ApiKey;
        var baseUrl = (options.BaseUrl ?? "http://sim.invalid/v1").TrimEnd('/');
        if (Kind == ProviderKind.AzureOpenAI && options.AzureRoute == "v1")
        {
            baseUrl += "/openai/v1";
        }

        BaseUrl = baseUrl;
        _chat = new Uri(baseUrl + (Kind == ProviderKind.Anthropic ? "/messages" : "/chat/completions"));
        _embeddings = new Uri(baseUrl + "/embeddings");
        _completions = new Uri(baseUrl + "/completions");
        _moderations = new Uri(baseUrl + "/moderations");
        // Azure serves the Responses API on its v1 route only (the body's model is the deployment name), whichever route the
        // account uses for chat.
        ResponsesUri = new Uri(Kind == ProviderKind.AzureOpenAI && options.AzureRoute != "v1" ? baseUrl + "/openai/v1/responses" : baseUrl + "/responses");
        // Anthropic's Messages API, which the simulator speaks too, for the native /v1/messages endpoint.
        MessagesUri = SpeaksMessages ? new Uri(baseUrl + "/messages") : null;
        CountTokensUri = SpeaksMessages ? new Uri(baseUrl + "/messages/count_tokens") : null;
        // Anthropic pages its model list (20 by default, 1,000 at most).
        ModelsUri = new Uri(baseUrl + (Kind == ProviderKind.Anthropic ? "/models?limit=1000" : "/models"));
        Breaker = new CircuitBreaker();
    }

    /// <summary>Account id.</summary>
    public string Id { get; }

    /// <summary>Kind as configured (<c>openai</c>, <c>azure-openai</c>, …).</summary>
    public string KindName { get; }

    /// <summary>Wire kind.</summary>
    public ProviderKind Kind { get; }

    /// <summary>Base URL without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The HTTP pipeline to this account.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>The account's models list URL.</summary>
    public Uri ModelsUri { get; }

    /// <summary>The account's Responses API URL (<c>POST /responses</c>; not served by Anthropic accounts).</summary>
    public Uri ResponsesUri { get; }

    /// <summary>Whether the account speaks Anthropic's Messages API itself (Anthropic, and the simulator), so that a
    /// <c>/v1/messages</c> request passes through; other accounts get it translated to Chat Completions.</summary>
    public bool SpeaksMessages => Kind is ProviderKind.Anthropic or ProviderKind.Sim;

    /// <summary>The Messages API URL (<c>POST /messages</c>) of an account that <see cref="SpeaksMessages"/>; null otherwise.</summary>
    public Uri? MessagesUri { get; }

    /// <summary>The Messages API's token counting URL (<c>POST /messages/count_tokens</c>) of an account that
    /// <see cref="SpeaksMessages"/>; null otherwise.</summary>
    public Uri? CountTokensUri { get; }

    /// <summary>Failure tracking for this account.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Processing region (ISO country), when configured.</summary>
    public string? Region => _options.Region;

    /// <summary>Anthropic only: <c>max_tokens</c> sent when the client gives none.</summary>
    public int DefaultMaxTokens => _options.DefaultMaxTokens;

    /// <summary>The upstream name for <paramref name="model"/> (Azure deployment map applied).</summary>
    public string UpstreamModel(string model) =>
        Kind == ProviderKind.AzureOpenAI && _options.Deployments.TryGetValue(model, out var d) ? d : model;

    /// <summary>The URL of <paramref name="operation"/> for <paramref name="upstreamModel"/> (Anthropic: the Messages endpoint,
    /// which serves chat; Anthropic has no embeddings or legacy completions).</summary>
    public Uri EndpointUri(string upstreamModel, UpstreamOperation operation)
    {
        if (Kind != ProviderKind.AzureOpenAI || _options.AzureRoute == "v1")
        {
            return operation switch
            {
                UpstreamOperation.Chat => _chat,
                UpstreamOperation.Embeddings => _embeddings,
                UpstreamOperation.Moderations => _moderations,
                _ => _completions,
            };
        }

        return _azureUris.GetOrAdd((upstreamModel, operation), static (k, s) =>
            new Uri($"{s.BaseUrl}/openai/deployments/{Uri.EscapeDataString(k.Model)}/{PathOf(k.Operation)}?api-version={Uri.EscapeDataString(s._options.ApiVersion)}"), this);
    }

    /// <summary>Whether the account's provider has <paramref name="operation"/> at all: Anthropic serves chat only (through the
    /// Messages API), Azure OpenAI has no moderations endpoint.</summary>
    public bool Serves(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.Chat => true,
        UpstreamOperation.Moderations => Kind is not (ProviderKind.Anthropic or ProviderKind.AzureOpenAI),
        _ => Kind != ProviderKind.Anthropic,
    };

    /// <summary>Adds the account's credential to an outgoing request.</summary>
    public void Authorize(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Kind == ProviderKind.Anthropic)
        {
            // The version header goes with every request, credential or not: Anthropic refuses a request without it.
            request.Headers.TryAddWithoutValidation("anthropic-version", _options.AnthropicVersion);
        }

        if (string.IsNullOrEmpty(_apiKey))
        {
            return;
        }

        if (Kind == ProviderKind.AzureOpenAI)
        {
            request.Headers.TryAddWithoutValidation("api-key", _apiKey);
        }
        else if (Kind == ProviderKind.Anthropic)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }
    }

    /// <summary>Adds the account's credential to a request for its Messages API (<see cref="SpeaksMessages"/>): Anthropic's
    /// headers, which the simulator asks for too.</summary>
    /// <param name="request">The outgoing request.</param>
    /// <param name="beta">The client's <c>anthropic-beta</c> header (features it opted into), passed on; may be empty.</param>
    public void AuthorizeMessages(HttpRequestMessage request, string? beta)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(beta))
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        if (Kind == ProviderKind.Anthropic)
        {
            Authorize(request);
            return;
        }

        // The simulator checks that Anthropic's headers are there, as Anthropic does; a keyless simulator account sends a
        // placeholder.
        request.Headers.TryAddWithoutValidation("anthropic-version", _options.AnthropicVersion);
        request.Headers.TryAddWithoutValidation("x-api-key", string.IsNullOrEmpty(_apiKey) ? "sim" : _apiKey);
    }

    private static string PathOf(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.Chat => "chat/completions",
        UpstreamOperation.Embeddings => "embeddings",
        UpstreamOperation.Moderations => "moderations", // not served by Azure OpenAI (Serves), named for completeness
        _ => "completions",
    };
}
