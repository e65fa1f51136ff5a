// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Charter.Audit.Hashing;
using Charter.Configuration;
using Charter.Errors;
using Charter.Keys;
using Charter.Records;
using Charter.Routing;
using Charter.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Forwarding;

/// <summary>Serves <c>/v1/chat/completions</c>, <c>/v1/embeddings</c>, <c>/v1/responses</c>, <c>/v1/completions</c>, <c>/v1/moderations</c>
/// and Anthropic's <c>/v1/messages</c>.</summary>
/// <remarks>
/// <code>
///  1 authenticate key (hash → cache, constant-time compare)
///  2 read body (size limit, UTF-8, one-pass parse of the fields Charter decides on)
///  3 purpose (header or key default) → access check (key/team lifecycle, granted purposes, model allow-list)
///  4 route (alias → targets) → policy per target; denied targets are never tried
///  5 journal the decision (before forwarding) ── 6 forward, stream chunks as they arrive, retry/fail over before
///    the first byte reaches the client ── 7 journal the completion (usage, status, latency)
/// </code>
/// </remarks>
public sealed partial class GatewayHandler
{
    private const string PurposeHeader = "Charter-Purpose";
    private const string EvalRunHeader = "Charter-Eval-Run";
    private const string ChatEndpoint = "chat.completions";
    private const string EmbeddingsEndpoint = "embeddings";
    private const string ResponsesEndpoint = "responses";
    private const string CompletionsEndpoint = "completions";
    private const string ModerationsEndpoint = "moderations";
    private const string MessagesEndpoint = "messages";
    private const string CountTokensEndpoint = "messages.count_tokens";
    private readonly KeyRegistry _keys;
    private readonly RouteTable _routes;
    private readonly IRequestAuthorizer _authorizer;
    private readonly Journal _journal;
    private readonly GatewayOptions _options;
    private readonly RecordsOptions _records;
    private readonly IUsageEstimator _estimator;
    private readonly IRequestLimiter _limiter;
    private readonly ILogger<GatewayHandler> _logger;
    private readonly TimeProvider _time;
    private readonly ResponseOwners _responses;

    /// <summary>Creates the handler.</summary>
    public GatewayHandler(KeyRegistry keys, RouteTable routes, IRequestAuthorizer authorizer, Journal journal, IOptions<GatewayOptions> options,
        IOptions<RecordsOptions> records, IUsageEstimator estimator, IRequestLimiter limiter, TimeProvider time, ILogger<GatewayHandler> logger,
        ResponseOwners responses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(records);
        _keys = keys;
        _routes = routes;
        _authorizer = authorizer;
        _journal = journal;
        _options = options.Value;
        _records = records.Value;
        _estimator = estimator;
        _limiter = limiter;
        _time = time;
        _logger = logger;
        _responses = responses;
    }

    /// <summary>Handles <c>POST /v1/chat/completions</c>.</summary>
    public Task HandleChatAsync(HttpContext context) => HandleAsync(context, ChatEndpoint);

    /// <summary>Handles <c>POST /v1/embeddings</c>.</summary>
    public Task HandleEmbeddingsAsync(HttpContext context) => HandleAsync(context, EmbeddingsEndpoint);

    /// <summary>Handles <c>POST /v1/responses</c> (OpenAI's Responses API, passed through to OpenAI-wire accounts).</summary>
    public Task HandleResponsesAsync(HttpContext context) => HandleAsync(context, ResponsesEndpoint);

    /// <summary>Handles <c>POST /v1/completions</c> (the legacy text completions, still served by OpenAI, Azure OpenAI and
    /// OpenAI-compatible servers such as vLLM, and used by evaluation harnesses for prompt log probabilities).</summary>
    public Task HandleCompletionsAsync(HttpContext context) => HandleAsync(context, CompletionsEndpoint);

    /// <summary>Handles <c>POST /v1/moderations</c> (OpenAI's and OpenAI-compatible servers' content classification).</summary>
    public Task HandleModerationsAsync(HttpContext context) => HandleAsync(context, ModerationsEndpoint);

    /// <summary>Handles <c>POST /v1/messages</c> (Anthropic's Messages API, for the Anthropic SDKs and the tools built on them):
    /// passed through to accounts that speak it (Anthropic, the simulator), translated to Chat Completions for the others.
    /// Charter's own errors on it are in Anthropic's error shape.</summary>
    public Task HandleMessagesAsync(HttpContext context) => HandleAsync(context, MessagesEndpoint);

    /// <summary>Handles <c>POST /v1/messages/count_tokens</c> (Anthropic's token counting): passed through to accounts that
    /// speak the Messages API, counted by Charter's tokenizer for the others. Free, like a moderation: it counts as a request,
    /// not toward tokens per minute, and the record carries no usage.</summary>
    public Task HandleCountTokensAsync(HttpContext context) => HandleAsync(context, CountTokensEndpoint);

    private async Task HandleAsync(HttpContext context, string endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        var ts = _time.GetUtcNow();
        var id = NewRequestId();
        context.Response.Headers["x-charter-request-id"] = id;

        // 1 authenticate
        var key = await AuthenticateAsync(context).ConfigureAwait(false);
        if (key is null)
        {
            await DenyAsync(context, new RequestState(id, ts, started, endpoint), UnknownKey).ConfigureAwait(false);
            return;
        }

        var team = _keys.Team(key.TeamId);
        var state = new RequestState(id, ts, started, endpoint) { Key = key, Team = team };
        if (key.IsExpired(ts))
        {
            await DenyAsync(context, state, Expired(key)).ConfigureAwait(false);
            return;
        }

        // 2 body
        var (buffer, length, readError) = await ReadBodyAsync(context).ConfigureAwait(false);
        try
        {
            if (readError != CharterError.None)
            {
                await DenyAsync(context, state, GateDecision.Deny(readError, readError switch
                {
                    CharterError.BodyTooLarge => $"The request body exceeds the limit of {_options.MaxRequestBodyBytes} bytes.",
                    CharterError.UnsupportedContentEncoding =>
                        $"Content-Encoding '{context.Request.Headers.ContentEncoding}' is not supported; send the body uncompressed.",
                    _ => "The request body could not be read.",
                })).ConfigureAwait(false);
                return;
            }

            var body = buffer.AsMemory(0, length);
            var parse = endpoint == ChatEndpoint ? RequestParser.ParseChat(body.Span, out state.Parsed) : RequestParser.ParseFor(endpoint, body.Span, out state.Parsed);
            if (!parse.Success)
            {
                await DenyAsync(context, state, GateDecision.Deny(parse.Error, parse.Message ?? "Invalid request."), parse.Param).ConfigureAwait(false);
                return;
            }

            state.Model = state.Parsed.Model;
            state.Stream = state.Parsed.Stream;
            state.EvalRun = context.Request.Headers[EvalRunHeader].ToString() is { Length: > 0 } run ? run : null;

            // 3 purpose and access
            var declared = context.Request.Headers[PurposeHeader].ToString();
            state.Purpose = declared.Length > 0 ? declared : key.DefaultPurpose;
            var access = _authorizer.CheckAccess(key, team, state.Purpose);
            if (access.Denied)
            {
                await DenyAsync(context, state, access).ConfigureAwait(false);
                return;
            }

            if (key.Models is { Count: > 0 } allowed && !Contains(allowed, state.Model!))
            {
                await DenyAsync(context, state, GateDecision.Deny(CharterError.ModelNotAllowed,
                    $"The key {key.Id} may not use the model '{state.Model}'.", "key.models")).ConfigureAwait(false);
                return;
            }

            // 4 route and policy
            var route = _routes.Resolve(state.Model!);
            if (route is null)
            {
                await DenyAsync(context, state, GateDecision.Deny(CharterError.ModelNotFound,
                    $"The model '{state.Model}' does not exist or you do not have access to it."), "model").ConfigureAwait(false);
                return;
            }

            // 4a a Responses conversation continues only within the team that began it, on the account that stores it.
            ResponseOwner? previous = null;
            if (state.Parsed.PreviousResponseId is { } previousId)
            {
                previous = await _responses.FindAsync(previousId, context.RequestAborted).ConfigureAwait(false);
                if (previous is null || !string.Equals(previous.TeamId, key.TeamId, StringComparison.Ordinal))
                {
                    // The same answer whether the id is unknown or another team's: its existence is not disclosed.
                    await DenyAsync(context, state, GateDecision.Deny(CharterError.InvalidRequest,
                        $"Previous response with id '{previousId}' not found.", "responses.previous_response_id", "previous_response_not_found"),
                        "previous_response_id").ConfigureAwait(false);
                    return;
                }
            }

            Span<int> order = stackalloc int[Math.Min(route.Targets.Length, 16)];
            var count = route.Order(order, _time.GetTimestamp());
            var permitted = new RouteTarget[count];
            var permittedCount = 0;
            GateDecision firstDenial = default;
            var flag = access.Flag ? access : default;
            for (var i = 0; i < count; i++)
            {
                var target = route.Targets[order[i]];
                if (previous is not null && !string.Equals(target.Account.Id, previous.Account, StringComparison.Ordinal))
                {
                    continue; // another account does not hold the previous response
                }

                var decision = _authorizer.CheckTarget(key, state.Purpose, target, state.Model!, in state.Parsed);
                if (decision.Denied)
                {
                    if (!firstDenial.Denied)
                    {
                        firstDenial = decision;
                    }

                    continue;
                }

                if (decision.Flag && !flag.Flag)
                {
                    flag = decision;
                }

                permitted[permittedCount++] = target;
            }

            if (permittedCount == 0)
            {
                await DenyAsync(context, state, firstDenial.Denied ? firstDenial
                    : previous is not null
                        ? GateDecision.Deny(CharterError.ProviderUnavailable,
                            $"The previous response '{state.Parsed.PreviousResponseId}' is stored with the provider account '{previous.Account}', which does not serve '{state.Model}'.",
                            "responses.previous_response_id")
                        : GateDecision.Deny(CharterError.ProviderUnavailable, $"No provider account can serve '{state.Model}'.")).ConfigureAwait(false);
                return;
            }

            // The decision the request is forwarded under (a refusal by the limits below is journaled with its own).
            state.Decision = flag.Flag ? flag : GateDecision.Allow;

            // 4b limits and budgets
            // A moderation or a token count is free and generates nothing: it counts as a request, not toward tokens per minute.
            var free = endpoint is ModerationsEndpoint or CountTokensEndpoint;
            var admission = await _limiter.AdmitAsync(key, state.Parsed, free ? ReadOnlyMemory<byte>.Empty : body,
                context.Response.Headers, context.RequestAborted).ConfigureAwait(false);
            if (admission.Decision.Denied)
            {
                await DenyAsync(context, state, admission.Decision).ConfigureAwait(false);
                return;
            }

            ThreadSha256.Hash(body.Span.Slice(state.Parsed.MessagesStart, state.Parsed.MessagesLength), state.MessagesDigest);
            try
            {
                await ForwardAsync(context, state, permitted.AsMemory(0, permittedCount), body).ConfigureAwait(false);

                // The client gets the end of its response now; settling the limits (a Redis round trip with --redis) does not
                // delay it.
                await CompleteResponseAsync(context).ConfigureAwait(false);
            }
            finally
            {
                await _limiter.CompleteAsync(admission, state.PromptTokens, state.CompletionTokens, state.CostNanos).ConfigureAwait(false);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static GateDecision UnknownKey => GateDecision.Deny(CharterError.InvalidApiKey,
        "Incorrect API key provided. You can find your Charter key in the output of 'charter keys create'.");

    // Like a revoked key, a 401 whatever else is wrong with the request; the record names the key and the rule.
    private static GateDecision Expired(ApiKeyRecord key)
    {
        var at = key.ExpiresAt!.Value.UtcDateTime;
        return key.ExpiresWithRotationGrace
            ? GateDecision.Deny(CharterError.KeyExpired,
                $"Incorrect API key provided: this secret of key {key.Id} was replaced by a rotation, and its grace period ended at {at:yyyy-MM-ddTHH:mm:ssZ}.", "key.rotation")
            : GateDecision.Deny(CharterError.KeyExpired, $"Incorrect API key provided: the key expired at {at:yyyy-MM-ddTHH:mm:ssZ}.", "key.expires_at");
    }

    private static async Task CompleteResponseAsync(HttpContext context)
    {
        try
        {
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away; the record already says how the request ended.
        }
    }

    private ValueTask<ApiKeyRecord?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return _keys.AuthenticateAsync(header.AsSpan(7).Trim());
        }

        // Azure-style clients send the key in api-key, Anthropic's SDKs in x-api-key.
        var apiKey = context.Request.Headers["api-key"].ToString();
        if (apiKey.Length == 0)
        {
            apiKey = context.Request.Headers["x-api-key"].ToString();
        }

        return apiKey.Length > 0 ? _keys.AuthenticateAsync(apiKey) : ValueTask.FromResult<ApiKeyRecord?>(null);
    }

    // A ValueTask: the body is usually in Kestrel's buffer already, and a synchronous completion then allocates nothing.
    private async ValueTask<(byte[]? Buffer, int Length, CharterError Error)> ReadBodyAsync(HttpContext context)
    {
        // A compressed body would reach the parser as bytes that are not JSON (nor, mostly, UTF-8): say what is wrong.
        if (context.Request.Headers.ContentEncoding is { Count: > 0 } encoding && !IsIdentity(encoding))
        {
            return (null, 0, CharterError.UnsupportedContentEncoding);
        }

        var max = _options.MaxRequestBodyBytes;
        var declared = context.Request.ContentLength;
        if (declared > max)
        {
            return (null, 0, CharterError.BodyTooLarge);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = max;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 4096, max) + 1);
        var length = 0;
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var seq = result.Buffer;
                if (length + seq.Length > max)
                {
                    reader.AdvanceTo(seq.End);
                    return (buffer, 0, CharterError.BodyTooLarge);
                }

                if (length + seq.Length > buffer.Length)
                {
                    buffer = PooledBuffer.Grow(buffer, length, (int)Math.Min(Math.Max(buffer.Length * 2, length + seq.Length), max + 1));
                }

                seq.CopyTo(buffer.AsSpan(length));
                length += (int)seq.Length;
                reader.AdvanceTo(seq.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (buffer, 0, CharterError.BodyTooLarge);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return (buffer, 0, CharterError.ClientDisconnected);
        }

        return (buffer, length, CharterError.None);
    }

    private static bool IsIdentity(Microsoft.Extensions.Primitives.StringValues encoding)
    {
        foreach (var value in encoding)
        {
            if (!string.Equals(value?.Trim(), "identity", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>req_</c> + 12 hex digits of Unix milliseconds + 12 random hex digits: unique, and increasing with time so
    /// that records land at the end of the primary-key index (random ids dirty a random index page per insert).</summary>
    internal static string NewRequestId() =>
        string.Create(28, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Random.Shared.NextInt64()), static (dest, r) =>
        {
            "req_".CopyTo(dest);
            Span<byte> bytes = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, r.Item1 << 16); // 6 bytes of milliseconds first
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes[6..], r.Item2); // then 6 random bytes
            Convert.TryToHexStringLower(bytes[..12], dest[4..], out _);
        });
}
