// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Charter.Configuration;
using Charter.Errors;
using Charter.Providers;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Records;
using Charter.Routing;
using Charter.Streaming;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Forwarding: payload rewrite, retries and fail-over, response relay.</summary>
public sealed partial class GatewayHandler
{
    private static ReadOnlySpan<byte> IncludeUsageProperty => "\"stream_options\":{\"include_usage\":true},"u8;

    private static ReadOnlySpan<byte> IncludeUsageValue => "{\"include_usage\":true}"u8;

    [ThreadStatic]
    private static JournalEvent? t_event;

    private async Task ForwardAsync(HttpContext context, RequestState state, ReadOnlyMemory<RouteTarget> targets, ReadOnlyMemory<byte> body)
    {
        var chat = state.Endpoint == ChatEndpoint;
        var responses = state.Endpoint == ResponsesEndpoint;
        var completions = state.Endpoint == CompletionsEndpoint;
        var messages = IsMessagesApi(state.Endpoint);
        var operation = state.Endpoint switch
        {
            ChatEndpoint or ResponsesEndpoint or MessagesEndpoint or CountTokensEndpoint => UpstreamOperation.Chat,
            CompletionsEndpoint => UpstreamOperation.Completions,
            ModerationsEndpoint => UpstreamOperation.Moderations,
            _ => UpstreamOperation.Embeddings,
        };
        var first = targets.Span[0];
        // 5 the decision is durable (in the OS, fsynced in groups) before a byte leaves.
        await JournalRequestAsync(state, first, body).ConfigureAwait(false);
        // Accounts whose provider lacks the endpoint are left out before any attempt is counted.
        targets = Where(targets, operation, static (account, op) => account.Serves(op));
        if (targets.IsEmpty)
        {
            await RefuseUnservedAsync(context, state, first).ConfigureAwait(false);
            return;
        }

        if (state.Endpoint == CountTokensEndpoint)
        {
            // Only an account that speaks the Messages API has the endpoint; for the others Charter counts.
            var speaking = Where(targets, 0, static (account, _) => account.SpeaksMessages);
            if (speaking.IsEmpty)
            {
                await CountTokensLocallyAsync(context, state, targets.Span[0], body).ConfigureAwait(false);
                return;
            }

            targets = speaking;
        }

        // Ask for usage on streams even when the client did not; the relay strips it again.
        var injectUsage = (chat || completions) && state.Parsed.Stream && !state.Parsed.IncludeUsage;
        var attempts = Math.Min(targets.Length, 1 + _options.Retries);
        if (targets.Length == 1)
        {
            attempts = 1 + _options.Retries;
        }

        var lastError = CharterError.UpstreamError;
        HttpResponseMessage? lastResponse = null;
        RouteTarget? lastTarget = null;
        var aborted = context.RequestAborted;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0 && targets.Length == 1)
            {
                // The same account again: after a pause, unless it asked for a longer one than Charter waits.
                if (RetryWait(attempt, lastResponse) is not { } wait)
                {
                    break;
                }

                try
                {
                    await Task.Delay(wait, _time, aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    lastResponse?.Dispose();
                    await CompleteAsync(state, targets.Span[0], 499, CharterError.ClientDisconnected, default, null).ConfigureAwait(false);
                    return;
                }
            }

            var target = targets.Span[attempt % targets.Length];
            var account = target.Account;
            var upstreamModel = target.Model ?? account.UpstreamModel(state.Model!);
            ReadOnlyMemory<byte> payload;
            if (messages)
            {
                // Anthropic's Messages API: as it came to an account that speaks it, as Chat Completions to the others.
                if (account.SpeaksMessages)
                {
                    payload = BuildPayload(body, in state.Parsed, upstreamModel, injectUsage: false);
                }
                else if (!TryTranslateMessagesToChat(body, upstreamModel, account, out payload, out var refusal))
                {
                    await WriteErrorAsync(context, state, CharterError.InvalidRequest, refusal.Message, refusal.Param).ConfigureAwait(false);
                    await CompleteAsync(state, target, 400, CharterError.InvalidRequest, default, null).ConfigureAwait(false);
                    return;
                }
            }
            else if (account.Kind == ProviderKind.Anthropic)
            {
                // A Responses body is first turned into the chat request it means, then translated as chat is.
                var chatBody = body;
                string? refusalMessage = null, refusalParam = null;
                payload = default;
                if (responses && !TryTranslateResponsesToChat(body, out chatBody, out var responsesRefusal))
                {
                    (refusalMessage, refusalParam) = (responsesRefusal.Message, responsesRefusal.Param);
                }
                else if (!TryTranslateForAnthropic(chatBody, upstreamModel, account, out payload, out var refusal))
                {
                    (refusalMessage, refusalParam) = (refusal.Message, refusal.Param);
                }

                if (refusalMessage is not null)
                {
                    await WriteErrorAsync(context, state, CharterError.InvalidRequest, refusalMessage, refusalParam).ConfigureAwait(false);
                    await CompleteAsync(state, target, 400, CharterError.InvalidRequest, default, null).ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                // The pooled body is sent as it is unless the model or include_usage must change (it outlives the request message).
                payload = BuildPayload(body, in state.Parsed, upstreamModel, injectUsage);
            }
            var nativeMessages = messages && account.SpeaksMessages;
            using var request = new HttpRequestMessage(HttpMethod.Post, nativeMessages ? (state.Endpoint == CountTokensEndpoint ? account.CountTokensUri : account.MessagesUri)
                : responses && account.Kind != ProviderKind.Anthropic ? account.ResponsesUri : account.EndpointUri(upstreamModel, operation))
            {
                Content = new ReadOnlyMemoryContent(payload),
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            request.Headers.TryAddWithoutValidation("X-Charter-Request-Id", state.Id);
            if (nativeMessages)
            {
                account.AuthorizeMessages(request, context.Request.Headers["anthropic-beta"].ToString());
            }
            else
            {
                account.Authorize(request);
            }
            using var timeout = UpstreamTimeout.Start(TimeSpan.FromSeconds(_options.UpstreamTimeoutSeconds), aborted);
            HttpResponseMessage response;
            try
            {
                response = await account.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                await CompleteAsync(state, target, 499, CharterError.ClientDisconnected, default, null).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                lastError = CharterError.UpstreamTimeout;
                account.Breaker.Failure(_time.GetTimestamp());
                continue;
            }
            catch (HttpRequestException)
            {
                lastError = CharterError.UpstreamError;
                account.Breaker.Failure(_time.GetTimestamp());
                continue;
            }

            var status = (int)response.StatusCode;
            // Retried while attempts are left; the last such answer is passed on after the loop (a server failure as 502).
            if (status is 429 or >= 500)
            {
                if (status >= 500)
                {
                    account.Breaker.Failure(_time.GetTimestamp());
                }

                lastResponse?.Dispose();
                lastResponse = response;
                lastTarget = target;
                continue;
            }

            if (status is 401 or 403)
            {
                var errorBody = await ReadAllAsync(response, aborted).ConfigureAwait(false);
                _authorizer.ReportUpstreamRefusal(target, status, errorBody.Span);
                if (attempt + 1 < attempts && targets.Length > 1)
                {
                    response.Dispose();
                    continue;
                }

                await PassThroughErrorAsync(context, response, errorBody, account, messages).ConfigureAwait(false);
                response.Dispose();
                await CompleteAsync(state, target, status, CharterError.UpstreamError, default, "upstream_" + status).ConfigureAwait(false);
                return;
            }

            lastResponse?.Dispose();
            lastResponse = null;
            using (response)
            {
                byte[]? buffer = null;
                var length = 0;
                if (!IsEventStream(response))
                {
                    // A whole answer is read before the client sees a byte, so a connection dropped mid-body is retried.
                    try
                    {
                        (buffer, length) = await PooledContent.ReadAsync(response.Content, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !aborted.IsCancellationRequested)
                    {
                        lastError = ex is OperationCanceledException ? CharterError.UpstreamTimeout : CharterError.UpstreamError;
                        account.Breaker.Failure(_time.GetTimestamp());
                        continue;
                    }
                }

                try
                {
                    account.Breaker.Success();
                    await RelayAsync(context, state, target, response, buffer.AsMemory(0, length), body, injectUsage).ConfigureAwait(false);
                }
                finally
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }

            return;
        }

        // Every attempt failed before the client saw a byte.
        if (lastResponse is not null)
        {
            using (lastResponse)
            {
                var errorBody = await ReadAllAsync(lastResponse, aborted).ConfigureAwait(false);
                await PassThroughErrorAsync(context, lastResponse, errorBody, lastTarget!.Account, messages).ConfigureAwait(false);
                await CompleteAsync(state, lastTarget!, (int)lastResponse.StatusCode, CharterError.UpstreamError, default, "upstream_" + (int)lastResponse.StatusCode).ConfigureAwait(false);
            }

            return;
        }

        var info = ErrorInfo.For(lastError);
        await WriteErrorAsync(context, state, lastError, lastError == CharterError.UpstreamTimeout
            ? $"The upstream did not answer within {_options.UpstreamTimeoutSeconds} s."
            : "The upstream could not be reached or dropped the connection.").ConfigureAwait(false);
        await CompleteAsync(state, first, info.Status, lastError, default, null).ConfigureAwait(false);
    }

    // The targets whose account passes keep (its provider has the operation: Anthropic has only chat, Azure OpenAI no
    // moderations; it speaks the Messages API for a token count): the same memory when all do, as almost always.
    private static ReadOnlyMemory<RouteTarget> Where<TState>(ReadOnlyMemory<RouteTarget> targets, TState state, Func<UpstreamAccount, TState, bool> keep)
    {
        var span = targets.Span;
        var all = true;
        foreach (var t in span)
        {
            all &= keep(t.Account, state);
        }

        if (all)
        {
            return targets;
        }

        var kept = new List<RouteTarget>(span.Length);
        foreach (var t in span)
        {
            if (keep(t.Account, state))
            {
                kept.Add(t);
            }
        }

        return kept.ToArray();
    }

    // No account of the route has the endpoint (Anthropic has only chat, Azure OpenAI no moderations): 400, nothing sent.
    private async Task RefuseUnservedAsync(HttpContext context, RequestState state, RouteTarget first)
    {
        var provider = first.Account.Kind == ProviderKind.Anthropic ? "Anthropic" : "Azure OpenAI";
        var what = state.Endpoint switch
        {
            CompletionsEndpoint => "legacy completions endpoint: use /v1/chat/completions for this model",
            ModerationsEndpoint => "moderations endpoint",
            _ => "embeddings endpoint",
        };
        await WriteErrorAsync(context, state, CharterError.InvalidRequest,
            $"The model '{state.Model}' is served by an {provider} account, and {provider} has no {what}.", "model").ConfigureAwait(false);
        await CompleteAsync(state, first, 400, CharterError.InvalidRequest, default, null).ConfigureAwait(false);
    }

    private async Task RelayAsync(HttpContext context, RequestState state, RouteTarget target, HttpResponseMessage response, ReadOnlyMemory<byte> content, ReadOnlyMemory<byte> body, bool injectUsage)
    {
        if (IsMessagesApi(state.Endpoint))
        {
            await RelayMessagesAsync(context, state, target, response, content, body).ConfigureAwait(false);
            return;
        }

        var http = context.Response;
        var status = (int)response.StatusCode;
        http.StatusCode = status;
        var anthropic = target.Account.Kind == ProviderKind.Anthropic;
        CopyHeaders(response, http, anthropic);
        http.Headers["charter-policy-version"] = _authorizer.PolicyVersion;
        var isStream = IsEventStream(response);
        var aborted = context.RequestAborted;
        if (isStream)
        {
            http.ContentType = "text/event-stream";
            http.Headers.CacheControl = "no-cache";
            await using var upstream = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
            var text = new ArrayBufferWriter<byte>(1024);
            var idle = TimeSpan.FromSeconds(_options.StreamIdleTimeoutSeconds);
            var responses = state.Endpoint == ResponsesEndpoint;
            var responseState = responses ? new ResponsesStreamState(anthropic ? null : text, RememberResponse(state, target)) : null;
            StreamOutcome outcome;
            if (anthropic && responses)
            {
                var createdAt = _time.GetUtcNow().ToUnixTimeSeconds();
                using var stages = new AnthropicResponsesStages(
                    new AnthropicStreamTranslator(UpstreamModelOf(state, target), createdAt, includeUsage: true, text),
                    new ChatToResponsesStream(ResponsesEcho.FromRequest(body.Span, ResponseIdOf(state), createdAt)),
                    responseState!);
                outcome = await SseRelay.RelayAsync(upstream, http.BodyWriter, new AnthropicResponsesSseTransform(stages), idle, aborted).ConfigureAwait(false);
            }
            else
            {
                outcome = anthropic
                    ? await SseRelay.RelayAsync(upstream, http.BodyWriter, new AnthropicSseTransform(new AnthropicStreamTranslator(
                        UpstreamModelOf(state, target), _time.GetUtcNow().ToUnixTimeSeconds(), state.Parsed.IncludeUsage, text)), idle, aborted).ConfigureAwait(false)
                    : responses
                        ? await SseRelay.RelayAsync(upstream, http.BodyWriter, new ObservedSseTransform<ResponsesStreamState>(responseState!), idle, aborted).ConfigureAwait(false)
                        : await SseRelay.RelayAsync(upstream, http.BodyWriter, new OpenAiSseTransform(injectUsage, text, legacyText: state.Endpoint == CompletionsEndpoint),
                            idle, aborted).ConfigureAwait(false);
            }
            await CompleteStreamAsync(state, target, status, outcome, body, text, anthropicCounts: anthropic, responseState?.ResponseId).ConfigureAwait(false);
            return;
        }

        if (anthropic)
        {
            await RelayAnthropicAnswerAsync(context, state, target, response, content, body).ConfigureAwait(false);
            return;
        }

        UsageReader.TryRead(content.Span, out var u);
        string? id = null;
        if (state.Endpoint == ResponsesEndpoint && status is >= 200 and < 300 && ResponseIdReader.TopLevel(content.Span) is { } created)
        {
            // Known before the client sees the answer: its next turn (previous_response_id) may follow at once.
            RememberResponse(state, target)(created);
            id = created;
        }

        // The completion is journaled before the client gets the body: whoever sees the answer finds its record.
        await CompleteAsync(state, target, status, CharterError.None, u, null, responseId: id).ConfigureAwait(false);
        http.ContentLength = content.Length;
        try
        {
            await http.Body.WriteAsync(content, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The upstream answered and was billed; the client left before reading it. The record keeps the upstream status.
        }
    }

    // Journals how a relayed stream ended: its usage (the upstream's; the tokenizer's estimate when it sent none), status
    // (499 when the client left), error code and time to first token.
    private ValueTask CompleteStreamAsync(RequestState state, RouteTarget target, int status, in StreamOutcome outcome, ReadOnlyMemory<byte> body,
        ArrayBufferWriter<byte> text, bool anthropicCounts, string? responseId = null)
    {
        var usage = outcome.Usage;
        var estimated = false;
        if (!usage.Present)
        {
            usage.PromptTokens = _estimator.EstimatePrompt(body.Span);
            usage.CompletionTokens = _estimator.CountCompletion(text.WrittenSpan);
            usage.Present = true;
            estimated = true;
        }
        else if (anthropicCounts && !outcome.SawDone)
        {
            // Anthropic counts the output at message_delta: a stream cut before it has the input's count, not the output's.
            usage.CompletionTokens = Math.Max(usage.CompletionTokens, _estimator.CountCompletion(text.WrittenSpan));
            estimated = true;
        }

        var finalStatus = outcome.Error == CharterError.ClientDisconnected ? 499 : status;
        // The first token is the first flush that carried output: a stream may open with events that carry none (a chat
        // stream's role chunk, which some servers send as soon as they accept the request; a Responses stream's
        // response.created). A stream without text output (tool calls only) falls back to its first event.
        var firstAt = outcome.FirstContentTimestamp != 0 ? outcome.FirstContentTimestamp : outcome.FirstFlushTimestamp;
        var firstToken = firstAt == 0 ? (double?)null : Stopwatch.GetElapsedTime(state.Started, firstAt).TotalMilliseconds;
        return CompleteAsync(state, target, finalStatus, outcome.Error, usage, outcome.Error == CharterError.None ? null : ErrorInfo.For(outcome.Error).Code,
            estimated: estimated, firstTokenMs: firstToken, responseId: responseId);
    }

    private Action<string> RememberResponse(RequestState state, RouteTarget target)
    {
        var team = state.Key?.TeamId;
        var account = target.Account.Id;
        var model = state.Model;
        return id => _responses.Remember(id, team, account, model);
    }

    private ValueTask CompleteAsync(RequestState state, RouteTarget target, int status, CharterError error, Usage usage, string? code, bool estimated = false,
        double? firstTokenMs = null, string? responseId = null)
    {
        var latency = Stopwatch.GetElapsedTime(state.Started).TotalMilliseconds;
        state.PromptTokens = usage.PromptTokens;
        state.CompletionTokens = usage.CompletionTokens;
        state.CostNanos = usage.Present ? _estimator.CostNanos(state.Model!, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens) : 0;
        var e = ScratchEvent();
        e.Kind = "completion";
        e.Id = state.Id;
        e.Ts = _time.GetUtcNow();
        e.Key = state.Key?.Id;
        e.Team = state.Key?.TeamId;
        e.Provider = target.Account.KindName;
        e.Account = target.Account.Id;
        e.Model = state.Model;
        e.Status = status;
        e.Code = code ?? (error == CharterError.None ? null : ErrorInfo.For(error).Code);
        e.PromptTokens = usage.Present ? usage.PromptTokens : null;
        e.CompletionTokens = usage.Present ? usage.CompletionTokens : null;
        e.CachedTokens = usage.CachedTokens > 0 ? usage.CachedTokens : null;
        e.Estimated = estimated;
        e.LatencyMs = latency;
        e.FirstTokenMs = firstTokenMs;
        e.ResponseId = responseId;
        e.CostNanos = state.CostNanos > 0 ? state.CostNanos : null;
        return AppendScratch(e);
    }

    private async Task DenyAsync(HttpContext context, RequestState state, GateDecision decision, string? param = null)
    {
        if (decision.Error != CharterError.ClientDisconnected)
        {
            // Journaled before the client hears of it: a refusal the client has seen is one the journal already holds
            // (a crash in between loses the answer, not the record), and a client that asks for its records next finds it.
            await JournalDenialAsync(state, decision).ConfigureAwait(false);
        }

        await WriteErrorAsync(context, state, decision.Error, decision.Message ?? "Request refused.", param, decision.Rule, decision.Code).ConfigureAwait(false);
    }

    private ValueTask JournalDenialAsync(RequestState state, GateDecision decision)
    {
        var info = ErrorInfo.For(decision.Error);
        var e = RequestEvent(state);
        e.Decision = "deny";
        e.Rule = decision.Rule;
        e.Code = decision.Code ?? info.Code;
        e.Reason = decision.Message;
        e.Status = info.Status;
        e.LatencyMs = Stopwatch.GetElapsedTime(state.Started).TotalMilliseconds;
        return AppendScratch(e);
    }

    // The request event, journaled before the request is forwarded.
    private ValueTask JournalRequestAsync(RequestState state, RouteTarget first, ReadOnlyMemory<byte> body)
    {
        var e = RequestEvent(state);
        e.Provider = first.Account.KindName;
        e.Account = first.Account.Id;
        e.Decision = state.Decision.Word;
        e.Rule = state.Decision.Rule;
        e.Reason = state.Decision.Flag ? state.Decision.Message : null;
        e.MessagesDigest = state.MessagesDigest;
        e.HasMessagesDigest = true;
        e.Body = body; // the journal copies it
        e.MessagesStart = state.Parsed.MessagesStart;
        e.MessagesLength = state.Parsed.MessagesLength;
        return AppendScratch(e);
    }

    // The members a request event has whether it is forwarded or refused.
    private JournalEvent RequestEvent(RequestState state)
    {
        var e = ScratchEvent();
        e.Kind = "request";
        e.Id = state.Id;
        e.Ts = state.Ts;
        e.Key = state.Key?.Id;
        e.Team = state.Key?.TeamId;
        e.Model = state.Model;
        e.Purpose = state.Purpose;
        e.Endpoint = state.Endpoint;
        e.PolicyVersion = _authorizer.PolicyVersion;
        e.EvalRun = state.EvalRun;
        e.Stream = state.Stream;
        return e;
    }

    // The request path's journal events are one object per thread: filled, appended (the journal serialises it before
    // AppendAsync returns, nothing in between can run another request on this thread) and cleared, so that it holds no
    // reference to the request (its pooled body). Two objects of ~300 bytes a request less for the GC.
    private static JournalEvent ScratchEvent() => t_event ??= JournalEvent.CreateEmpty();

    private ValueTask AppendScratch(JournalEvent e)
    {
        try
        {
            return _journal.AppendAsync(e);
        }
        finally
        {
            e.Clear();
        }
    }

    private static ReadOnlyMemory<byte> BuildPayload(ReadOnlyMemory<byte> source, in ParsedRequest parsed, string upstreamModel, bool injectUsage)
    {
        var rewriteModel = !string.Equals(upstreamModel, parsed.Model, StringComparison.Ordinal);
        if (!rewriteModel && !injectUsage)
        {
            return source;
        }

        var body = source.Span;

        // Splice instead of re-serialising: replace the model token and/or add include_usage, copying the rest verbatim.
        var model = rewriteModel ? JsonEncodedText.Encode(upstreamModel).EncodedUtf8Bytes : default;
        var output = new ArrayBufferWriter<byte>(body.Length + model.Length + 64);
        var splices = new (int Start, int Length, int Kind)[2];
        var n = 0;
        if (rewriteModel)
        {
            // A moderations body may name no model (the API's default, which the route maps): the model is added then.
            splices[n++] = parsed.ModelLength > 0 ? (parsed.ModelStart, parsed.ModelLength, 0) : (body.IndexOf((byte)'{') + 1, 0, 3);
        }

        if (injectUsage)
        {
            splices[n++] = parsed.HasStreamOptions
                ? (parsed.StreamOptionsStart, parsed.StreamOptionsLength, 2)
                : (body.IndexOf((byte)'{') + 1, 0, 1);
        }

        if (n == 2 && splices[1].Start < splices[0].Start)
        {
            (splices[0], splices[1]) = (splices[1], splices[0]);
        }

        var pos = 0;
        for (var i = 0; i < n; i++)
        {
            var (start, length, kind) = splices[i];
            output.Write(body[pos..start]);
            switch (kind)
            {
                case 0:
                    output.Write("\""u8);
                    output.Write(model);
                    output.Write("\""u8);
                    break;
                case 1:
                    output.Write(IncludeUsageProperty);
                    break;
                case 3:
                    output.Write("\"model\":\""u8);
                    output.Write(model);
                    output.Write("\","u8);
                    break;
                default:
                    output.Write(IncludeUsageValue);
                    break;
            }

            pos = start + length;
        }

        output.Write(body[pos..]);
        return output.WrittenMemory;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    private static async Task PassThroughErrorAsync(HttpContext context, HttpResponseMessage response, ReadOnlyMemory<byte> body, UpstreamAccount account,
        bool messagesApi = false)
    {
        var http = context.Response;
        if (http.HasStarted)
        {
            return;
        }

        if (messagesApi)
        {
            await WriteMessagesUpstreamErrorAsync(context, response, body, account).ConfigureAwait(false);
            return;
        }

        if (account.Kind == ProviderKind.Anthropic)
        {
            await WriteAnthropicErrorAsync(context, response, body, copyHeaders: true).ConfigureAwait(false);
            return;
        }

        var status = (int)response.StatusCode;
        CopyHeaders(response, http, anthropic: false);
        if (body.Length > 0 && body.Span.IndexOf("\"error\""u8) >= 0 && body.Span.TrimStart((byte)' ').StartsWith("{"u8))
        {
            // The upstream's own error passes through; an upstream server failure is a bad gateway to the client.
            http.StatusCode = status >= 500 ? (int)HttpStatusCode.BadGateway : status;
            http.ContentType = "application/json";
            http.ContentLength = body.Length;
            await http.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var error = status switch
        {
            429 => CharterError.RateLimited,
            >= 500 => CharterError.UpstreamError,
            _ => CharterError.InvalidRequest,
        };
        var wire = OpenAiErrorWriter.Serialize($"The upstream answered {status} {response.ReasonPhrase}.", ErrorInfo.For(error).Type, null, "upstream_" + status);
        http.StatusCode = status >= 500 ? (int)HttpStatusCode.BadGateway : status;
        http.ContentType = "application/json";
        http.ContentLength = wire.Length;
        await http.Body.WriteAsync(wire, context.RequestAborted).ConfigureAwait(false);
    }

    // Anthropic's rate-limit headers are looked for only in an Anthropic account's answers: renamed to OpenAI's for an OpenAI
    // client, as they came for a native Messages client.
    private static void CopyHeaders(HttpResponseMessage response, HttpResponse http, bool anthropic, bool native = false)
    {
        // NonValidated: the upstream's header text as it came, without parsing every header into typed values.
        foreach (var header in response.Headers.NonValidated)
        {
            var name = header.Key;
            if (name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("openai-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase)
                || name.Equals("retry-after", StringComparison.OrdinalIgnoreCase)
                || name.Equals("retry-after-ms", StringComparison.OrdinalIgnoreCase)
                || name.Equals("apim-request-id", StringComparison.OrdinalIgnoreCase)
                || name.Equals("request-id", StringComparison.OrdinalIgnoreCase))
            {
                http.Headers[name] = header.Value.Count == 1 ? header.Value.ToString() : header.Value.ToArray();
            }
            else if (anthropic && native && name.StartsWith("anthropic-ratelimit-", StringComparison.OrdinalIgnoreCase))
            {
                http.Headers[name] = header.Value.ToString();
            }
            else if (anthropic && AnthropicRateLimitHeader(name) is { } openAiName)
            {
                http.Headers[openAiName] = header.Value.ToString();
            }
        }

        if (ContentType(response) is { Length: > 0 } ct)
        {
            http.ContentType = ct;
        }
    }

    private static string? ContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;

    private static bool IsEventStream(HttpResponseMessage response) =>
        ContentType(response) is { } ct && ct.AsSpan().Trim().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
}
