// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net;
using Charter.Configuration;
using Charter.Errors;
using Charter.Providers;
using Charter.Providers.Anthropic;
using Charter.Providers.Messages;
using Charter.Routing;
using Charter.Streaming;
using Microsoft.AspNetCore.Http;

namespace Charter.Forwarding;

/// <summary>Anthropic's Messages API on <c>/v1/messages</c>: passed through to accounts that speak it, translated to and from
/// chat completions for the others (Providers/Messages), Charter's errors in its shape.</summary>
public sealed partial class GatewayHandler
{
    // Charter's own refusals in the wire format of the endpoint the client called.
    private static Task WriteErrorAsync(HttpContext context, RequestState state, CharterError error, string message, string? param = null, string? rule = null,
        string? code = null) =>
        IsMessagesApi(state.Endpoint)
            ? AnthropicErrorWriter.WriteAsync(context, error, message, param, rule, code)
            : OpenAiErrorWriter.WriteAsync(context, error, message, param, rule, code);

    private static bool IsMessagesApi(string endpoint) => endpoint is MessagesEndpoint or CountTokensEndpoint;

    // A token count for a model no account of which has Anthropic's endpoint: Charter's tokenizer counts the body the way it
    // estimates prompts for the limits (o200k, GPT-4o's encoding), and nothing is sent. The record says who counted.
    private async Task CountTokensLocallyAsync(HttpContext context, RequestState state, RouteTarget target, ReadOnlyMemory<byte> body)
    {
        var count = _estimator.EstimatePrompt(body.Span);
        await CompleteAsync(state, target, 200, CharterError.None, default, "counted_by_charter").ConfigureAwait(false);
        var http = context.Response;
        http.StatusCode = 200;
        http.ContentType = "application/json";
        http.Headers["charter-policy-version"] = _authorizer.PolicyVersion;
        var answer = System.Text.Encoding.UTF8.GetBytes($"{{\"input_tokens\":{count.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
        await WriteAnswerAsync(http, answer, context.RequestAborted).ConfigureAwait(false);
    }

    // The id of a message Charter makes from a chat completion: the request's own id, so that the two meet.
    private static string MessageIdOf(RequestState state) => "msg_" + state.Id["req_".Length..];

    // A Messages body for an account that speaks chat completions (Providers/Messages).
    private static bool TryTranslateMessagesToChat(ReadOnlyMemory<byte> body, string upstreamModel, UpstreamAccount account, out ReadOnlyMemory<byte> chat,
        out MessagesTranslationError refusal)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 256);
        if (!MessagesToChatRequest.TryTranslate(body.Span, upstreamModel, output, out refusal,
            maxCompletionTokens: account.Kind is ProviderKind.OpenAI or ProviderKind.AzureOpenAI))
        {
            chat = default;
            return false;
        }

        chat = output.WrittenMemory;
        return true;
    }

    private async Task RelayMessagesAsync(HttpContext context, RequestState state, RouteTarget target, HttpResponseMessage response, ReadOnlyMemory<byte> content,
        ReadOnlyMemory<byte> body)
    {
        var http = context.Response;
        var status = (int)response.StatusCode;
        var account = target.Account;
        var native = account.SpeaksMessages;
        http.StatusCode = status;
        CopyHeaders(response, http, account.Kind == ProviderKind.Anthropic, native);
        http.Headers["charter-policy-version"] = _authorizer.PolicyVersion;
        var aborted = context.RequestAborted;
        if (IsEventStream(response))
        {
            http.ContentType = "text/event-stream";
            http.Headers.CacheControl = "no-cache";
            await using var upstream = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
            var text = new ArrayBufferWriter<byte>(1024);
            var idle = TimeSpan.FromSeconds(_options.StreamIdleTimeoutSeconds);
            var outcome = native
                ? await SseRelay.RelayAsync(upstream, http.BodyWriter, new ObservedSseTransform<AnthropicMessagesStreamState>(new AnthropicMessagesStreamState(text)), idle, aborted)
                    .ConfigureAwait(false)
                : await SseRelay.RelayAsync(upstream, http.BodyWriter, new ChatToMessagesSseTransform(new ChatToMessagesStream(MessageIdOf(state), state.Model!, text)),
                    idle, aborted).ConfigureAwait(false);
            await CompleteStreamAsync(state, target, status, outcome, body, text, anthropicCounts: native).ConfigureAwait(false);
            return;
        }

        if (status is < 200 or >= 300)
        {
            // The account's own error: already in Anthropic's shape, or a chat completions error given in it.
            await CompleteAsync(state, target, status, CharterError.UpstreamError, default, "upstream_" + status).ConfigureAwait(false);
            if (native)
            {
                await WriteAnswerAsync(http, content, aborted).ConfigureAwait(false);
                return;
            }

            var wire = new ArrayBufferWriter<byte>(256);
            http.StatusCode = ChatToMessagesError.Translate(status, content.Span, wire);
            http.ContentType = "application/json";
            await WriteAnswerAsync(http, wire.WrittenMemory, aborted).ConfigureAwait(false);
            return;
        }

        // A token count generates nothing and is free: its record carries no usage (the count is the answer).
        var answerUsage = default(Usage);
        if (!native)
        {
            // A chat completion: its usage is read before it becomes a message.
            UsageReader.TryRead(content.Span, out answerUsage);
            var message = new ArrayBufferWriter<byte>(content.Length + 256);
            if (!ChatToMessagesAnswer.TryTranslate(content.Span, MessageIdOf(state), state.Model!, message))
            {
                await CompleteAsync(state, target, (int)HttpStatusCode.BadGateway, CharterError.UpstreamError, answerUsage, null).ConfigureAwait(false);
                await AnthropicErrorWriter.WriteAsync(context, CharterError.UpstreamError, "The upstream's answer was not a chat completion.").ConfigureAwait(false);
                return;
            }

            content = message.WrittenMemory;
            http.ContentType = "application/json";
        }
        else if (state.Endpoint == MessagesEndpoint)
        {
            AnthropicUsageCounts.TryReadMessage(content.Span, out answerUsage);
        }

        // As for the other endpoints: the completion is journaled before the client gets the body.
        await CompleteAsync(state, target, status, CharterError.None, answerUsage, null).ConfigureAwait(false);
        await WriteAnswerAsync(http, content, aborted).ConfigureAwait(false);
    }

    private static async Task WriteAnswerAsync(HttpResponse http, ReadOnlyMemory<byte> content, CancellationToken aborted)
    {
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

    // An upstream refusal or failure that ends a /v1/messages request, in Anthropic's shape: an account that speaks the Messages
    // API answered in it already; its overload (529) passes as it is, for the SDKs to back off, and any other server failure is a
    // bad gateway, as on the other endpoints.
    private static async Task WriteMessagesUpstreamErrorAsync(HttpContext context, HttpResponseMessage response, ReadOnlyMemory<byte> body, UpstreamAccount account)
    {
        var http = context.Response;
        var status = (int)response.StatusCode;
        CopyHeaders(response, http, account.Kind == ProviderKind.Anthropic, account.SpeaksMessages);
        int clientStatus;
        ReadOnlyMemory<byte> wire = body;
        if (!account.SpeaksMessages)
        {
            // A chat completions account's error, given in Anthropic's shape.
            var translated = new ArrayBufferWriter<byte>(256);
            clientStatus = ChatToMessagesError.Translate(status, body.Span, translated);
            wire = translated.WrittenMemory;
        }
        else
        {
            clientStatus = status is >= 500 and not 529 ? (int)HttpStatusCode.BadGateway : status;
            if (!IsAnthropicError(body.Span))
            {
                wire = AnthropicErrorWriter.Serialize(clientStatus, $"The upstream answered {status} {response.ReasonPhrase}.", null, "upstream_" + status);
            }
        }

        http.StatusCode = clientStatus;
        http.ContentType = "application/json";
        http.ContentLength = wire.Length;
        await http.Body.WriteAsync(wire, context.RequestAborted).ConfigureAwait(false);
    }

    // {"type":"error","error":{…}}: an error body of Anthropic's (or the simulator's) shape.
    private static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return false;
            }

            var (typeIsError, hasError) = (false, false);
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                hasError |= reader.ValueTextEquals("error"u8);
                reader.Read();
                typeIsError |= isType && reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueTextEquals("error"u8);
                reader.Skip();
            }

            return typeIsError && hasError;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
