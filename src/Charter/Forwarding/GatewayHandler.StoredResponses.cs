// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics;
using Charter.Configuration;
using Charter.Errors;
using Charter.Providers;
using Charter.Routing;
using Charter.Storage;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Stored Responses API answers: retrieved, listed, cancelled or deleted only by their team, at their account.</summary>
/// <remarks>
/// <code>
///  GET    /v1/responses/{id}              → GET    {account}/responses/{id}
///  DELETE /v1/responses/{id}              → DELETE {account}/responses/{id}
///  GET    /v1/responses/{id}/input_items  → GET    {account}/responses/{id}/input_items
///  POST   /v1/responses/{id}/cancel       → POST   {account}/responses/{id}/cancel
/// </code>
/// The key and its purpose are checked as for any request; the response must be one a key of the same team created
/// through Charter (<see cref="ResponseOwners"/>), or the answer is 404, the same as for an id never made. The account's
/// lifecycle and the policy are then checked for the key, purpose, account and model of the request that made it (a
/// suspended account is not called; a policy that denies the purpose there denies reading back too). Each call has
/// its request record and audit leaf (endpoint <c>responses.retrieve</c>, <c>responses.delete</c>,
/// <c>responses.input_items</c>, <c>responses.cancel</c>; no body) and counts toward the key's and team's requests per minute
/// and concurrent requests (no tokens, no cost). Query parameters pass through, except <c>stream=true</c>: it replays a
/// background response, which Charter does not create.
/// </remarks>
public sealed partial class GatewayHandler
{
    /// <summary>Handles <c>GET /v1/responses/{id}</c>.</summary>
    public Task HandleRetrieveResponseAsync(HttpContext context) => HandleStoredAsync(context, "responses.retrieve", HttpMethod.Get, "");

    /// <summary>Handles <c>DELETE /v1/responses/{id}</c>.</summary>
    public Task HandleDeleteResponseAsync(HttpContext context) => HandleStoredAsync(context, "responses.delete", HttpMethod.Delete, "");

    /// <summary>Handles <c>GET /v1/responses/{id}/input_items</c>.</summary>
    public Task HandleResponseInputItemsAsync(HttpContext context) => HandleStoredAsync(context, "responses.input_items", HttpMethod.Get, "/input_items");

    /// <summary>Handles <c>POST /v1/responses/{id}/cancel</c>.</summary>
    public Task HandleCancelResponseAsync(HttpContext context) => HandleStoredAsync(context, "responses.cancel", HttpMethod.Post, "/cancel");

    private async Task HandleStoredAsync(HttpContext context, string endpoint, HttpMethod method, string suffix)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var ts = _time.GetUtcNow();
        var id = NewRequestId();
        context.Response.Headers["x-charter-request-id"] = id;
        var key = await AuthenticateAsync(context).ConfigureAwait(false);
        if (key is null)
        {
            await DenyAsync(context, new RequestState(id, ts, started, endpoint), UnknownKey).ConfigureAwait(false);
            return;
        }

        var state = new RequestState(id, ts, started, endpoint) { Key = key, Team = _keys.Team(key.TeamId) };
        if (key.IsExpired(ts))
        {
            await DenyAsync(context, state, Expired(key)).ConfigureAwait(false);
            return;
        }

        var declared = context.Request.Headers[PurposeHeader].ToString();
        state.Purpose = declared.Length > 0 ? declared : key.DefaultPurpose;
        var access = _authorizer.CheckAccess(key, state.Team, state.Purpose);
        if (access.Denied)
        {
            await DenyAsync(context, state, access).ConfigureAwait(false);
            return;
        }

        if (context.Request.Query.TryGetValue("stream", out var stream) && string.Equals(stream.ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            await DenyAsync(context, state, GateDecision.Deny(CharterError.InvalidRequest,
                "'stream=true' replays a background response, and Charter does not create background responses.", "responses.background"), "stream").ConfigureAwait(false);
            return;
        }

        var responseId = context.Request.RouteValues["id"] as string ?? "";
        var owner = await _responses.FindAsync(responseId, context.RequestAborted).ConfigureAwait(false);
        if (owner is null || !string.Equals(owner.TeamId, key.TeamId, StringComparison.Ordinal)
            || owner.Account is null || !_routes.Accounts.TryGetValue(owner.Account, out var account) || account.Kind == ProviderKind.Anthropic)
        {
            // The same answer whether the id is unknown, another team's, held by an account no longer configured, or made by
            // an Anthropic account (translated from the Messages API, which stores nothing).
            await DenyAsync(context, state, GateDecision.Deny(CharterError.ResponseNotFound, $"No response found with id '{responseId}'.",
                "responses.owner")).ConfigureAwait(false);
            return;
        }

        // The account's lifecycle (a provider suspension, an admin's hold) and the policy for this key, purpose, account and
        // model decide as for the request that made the response: reading a conversation back is a call to the provider too.
        state.Model = owner.Model;
        var target = StoredTarget(owner, account);
        var decision = _authorizer.CheckTarget(key, state.Purpose, target, owner.Model ?? "", in s_noBody);
        if (decision.Denied)
        {
            await DenyAsync(context, state, decision).ConfigureAwait(false);
            return;
        }

        var admission = await _limiter.AdmitAsync(key, state.Parsed, ReadOnlyMemory<byte>.Empty, context.Response.Headers, context.RequestAborted).ConfigureAwait(false);
        if (admission.Decision.Denied)
        {
            await DenyAsync(context, state, admission.Decision).ConfigureAwait(false);
            return;
        }

        try
        {
            state.Decision = access.Flag ? access : decision.Flag ? decision : GateDecision.Allow;
            await ForwardStoredAsync(context, state, target, method, responseId, suffix).ConfigureAwait(false);
        }
        finally
        {
            await _limiter.CompleteAsync(admission, 0, 0, 0).ConfigureAwait(false);
        }
    }

    // A call without a body: nothing in it for the policy to weigh (n = 1, no token limit, no temperature, no log probabilities).
    private static readonly ParsedRequest s_noBody = new() { N = 1, Temperature = double.NaN };

    // The route target the response was made through when its model still routes to that account (its own model name
    // for the policy), else the account itself with the model the request named.
    private RouteTarget StoredTarget(ResponseOwner owner, UpstreamAccount account)
    {
        if (owner.Model is { } model && _routes.Resolve(model) is { } route)
        {
            foreach (var target in route.Targets)
            {
                if (string.Equals(target.Account.Id, account.Id, StringComparison.Ordinal))
                {
                    return target;
                }
            }
        }

        return new RouteTarget(account, null, 1, 0);
    }

    private async Task ForwardStoredAsync(HttpContext context, RequestState state, RouteTarget target, HttpMethod method, string responseId, string suffix)
    {
        var account = target.Account;
        await JournalStoredRequestAsync(state, account).ConfigureAwait(false);
        var uri = new Uri(account.ResponsesUri + "/" + Uri.EscapeDataString(responseId) + suffix + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(method, uri);
        if (method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent([]);
        }

        request.Headers.TryAddWithoutValidation("X-Charter-Request-Id", state.Id);
        account.Authorize(request);
        var aborted = context.RequestAborted;
        using var timeout = UpstreamTimeout.Start(TimeSpan.FromSeconds(_options.UpstreamTimeoutSeconds), aborted);
        HttpResponseMessage response;
        byte[]? buffer = null;
        var length = 0;
        try
        {
            response = await account.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            (buffer, length) = await PooledContent.ReadAsync(response.Content, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            await CompleteAsync(state, target, 499, CharterError.ClientDisconnected, default, null).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            var error = ex is OperationCanceledException ? CharterError.UpstreamTimeout : CharterError.UpstreamError;
            account.Breaker.Failure(_time.GetTimestamp());
            await OpenAiErrorWriter.WriteAsync(context, error, error == CharterError.UpstreamTimeout
                ? $"The upstream did not answer within {_options.UpstreamTimeoutSeconds} s."
                : "The upstream could not be reached or dropped the connection.").ConfigureAwait(false);
            await CompleteAsync(state, target, ErrorInfo.For(error).Status, error, default, null).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            try
            {
                var status = (int)response.StatusCode;
                var body = buffer.AsMemory(0, length);
                if (status is >= 200 and < 300)
                {
                    await CompleteAsync(state, target, status, CharterError.None, default, null).ConfigureAwait(false);
                    var http = context.Response;
                    http.StatusCode = status;
                    CopyHeaders(response, http, anthropic: false);
                    http.ContentLength = body.Length;
                    await http.Body.WriteAsync(body, aborted).ConfigureAwait(false);
                    return;
                }

                await PassThroughErrorAsync(context, response, body, account).ConfigureAwait(false);
                await CompleteAsync(state, target, context.Response.StatusCode, CharterError.UpstreamError, default, "upstream_" + status).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The client left while the answer was written; the record keeps the upstream's status.
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    // The request event of a call without a body: no messages, no digest.
    private ValueTask JournalStoredRequestAsync(RequestState state, UpstreamAccount account)
    {
        var e = RequestEvent(state);
        e.Provider = account.KindName;
        e.Account = account.Id;
        e.Decision = state.Decision.Word;
        e.Rule = state.Decision.Rule;
        e.Reason = state.Decision.Flag ? state.Decision.Message : null;
        return AppendScratch(e);
    }
}
