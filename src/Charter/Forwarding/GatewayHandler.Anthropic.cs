// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net;
using Charter.Configuration;
using Charter.Errors;
using Charter.Providers;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Routing;
using Charter.Streaming;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Anthropic accounts: the OpenAI request translated to the Messages API, the answer and its errors translated back.</summary>
public sealed partial class GatewayHandler
{
    private static bool TryTranslateResponsesToChat(ReadOnlyMemory<byte> body, out ReadOnlyMemory<byte> chat, out ResponsesTranslationError refusal)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 256);
        if (!ResponsesToChatRequest.TryTranslate(body.Span, output, out refusal))
        {
            chat = default;
            return false;
        }

        chat = output.WrittenMemory;
        return true;
    }

    // The id of a Responses answer Charter makes from another wire format: the request's own id, so that the two meet.
    private static string ResponseIdOf(RequestState state) => "resp_" + state.Id["req_".Length..];

    private static bool TryTranslateForAnthropic(ReadOnlyMemory<byte> body, string upstreamModel, UpstreamAccount account, out ReadOnlyMemory<byte> payload, out AnthropicTranslationError refusal)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 256);
        if (!AnthropicRequestTranslator.TryTranslate(body.Span, upstreamModel, account.DefaultMaxTokens, output, out refusal))
        {
            payload = default;
            return false;
        }

        payload = output.WrittenMemory;
        return true;
    }

    private static string UpstreamModelOf(RequestState state, RouteTarget target) => target.Model ?? target.Account.UpstreamModel(state.Model!);

    // A whole (non-streamed) answer: a message becomes a chat completion, an error OpenAI's error shape.
    private async Task RelayAnthropicAnswerAsync(HttpContext context, RequestState state, RouteTarget target, HttpResponseMessage response, ReadOnlyMemory<byte> content,
        ReadOnlyMemory<byte> body)
    {
        var http = context.Response;
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            var clientStatus = await WriteAnthropicErrorAsync(context, response, content, copyHeaders: false).ConfigureAwait(false); // RelayAsync copied them
            await CompleteAsync(state, target, clientStatus, CharterError.UpstreamError, default, "upstream_" + status).ConfigureAwait(false);
            return;
        }

        var output = new ArrayBufferWriter<byte>(content.Length + 256);
        if (!AnthropicResponseTranslator.TryTranslate(content.Span, UpstreamModelOf(state, target), _time.GetUtcNow().ToUnixTimeSeconds(), output))
        {
            await OpenAiErrorWriter.WriteAsync(context, CharterError.UpstreamError, "The upstream's answer was not an Anthropic message.").ConfigureAwait(false);
            await CompleteAsync(state, target, (int)HttpStatusCode.BadGateway, CharterError.UpstreamError, default, null).ConfigureAwait(false);
            return;
        }

        UsageReader.TryRead(output.WrittenSpan, out var usage);
        string? responseId = null;
        if (state.Endpoint == ResponsesEndpoint)
        {
            // The chat completion, in turn, becomes the Response the client asked for.
            responseId = ResponseIdOf(state);
            var answer = new ArrayBufferWriter<byte>(output.WrittenCount + 1024);
            var created = _time.GetUtcNow().ToUnixTimeSeconds();
            if (!ChatToResponsesAnswer.TryTranslate(output.WrittenSpan, ResponsesEcho.FromRequest(body.Span, responseId, created), answer))
            {
                await OpenAiErrorWriter.WriteAsync(context, CharterError.UpstreamError, "The upstream's answer could not be given as a Response.").ConfigureAwait(false);
                await CompleteAsync(state, target, (int)HttpStatusCode.BadGateway, CharterError.UpstreamError, usage, null).ConfigureAwait(false);
                return;
            }

            RememberResponse(state, target)(responseId);
            output = answer;
        }

        // As for OpenAI answers: the completion is journaled before the client gets the body.
        await CompleteAsync(state, target, status, CharterError.None, usage, null, responseId: responseId).ConfigureAwait(false);
        http.StatusCode = status;
        http.ContentType = "application/json";
        http.ContentLength = output.WrittenCount;
        try
        {
            await http.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client left before reading the answer; the record keeps the upstream status.
        }
    }

    // Anthropic's error envelope in OpenAI's shape. Overloaded (529) is a 503 with its retry-after; any other upstream
    // server failure is a bad gateway, as for OpenAI upstreams. Returns the status written.
    private static async Task<int> WriteAnthropicErrorAsync(HttpContext context, HttpResponseMessage response, ReadOnlyMemory<byte> body, bool copyHeaders)
    {
        var http = context.Response;
        var wire = new ArrayBufferWriter<byte>(256);
        var mapped = AnthropicResponseTranslator.TranslateError((int)response.StatusCode, body.Span, wire);
        var status = mapped is >= 500 and not (int)HttpStatusCode.ServiceUnavailable ? (int)HttpStatusCode.BadGateway : mapped;
        if (http.HasStarted)
        {
            return status;
        }

        if (copyHeaders)
        {
            CopyHeaders(response, http, anthropic: true);
        }

        http.StatusCode = status;
        http.ContentType = "application/json";
        http.ContentLength = wire.WrittenCount;
        await http.Body.WriteAsync(wire.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        return status;
    }

    // anthropic-ratelimit-{requests|tokens}-{limit|remaining|reset} → OpenAI's x-ratelimit-{limit|remaining|reset}-{requests|tokens}.
    private static string? AnthropicRateLimitHeader(string name)
    {
        const string Prefix = "anthropic-ratelimit-";
        if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = name.AsSpan(Prefix.Length);
        var dash = rest.IndexOf('-');
        if (dash <= 0)
        {
            return null;
        }

        var what = rest[..dash];
        var field = rest[(dash + 1)..];
        if (!(what.Equals("requests", StringComparison.OrdinalIgnoreCase) || what.Equals("tokens", StringComparison.OrdinalIgnoreCase))
            || !(field.Equals("limit", StringComparison.OrdinalIgnoreCase) || field.Equals("remaining", StringComparison.OrdinalIgnoreCase) || field.Equals("reset", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return string.Concat("x-ratelimit-", field.ToString().ToLowerInvariant(), "-", what.ToString().ToLowerInvariant());
    }
}
