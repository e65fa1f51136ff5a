// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Charter.Eval.Suites;

namespace Charter.Eval.Client;

/// <summary>Calls an OpenAI-compatible gateway's /v1/chat/completions with the evaluation headers, retrying
/// 429, 408, 5xx and connection errors with exponential backoff that honours <c>retry-after-ms</c> and <c>retry-after</c>.</summary>
/// <remarks>
/// Headers sent: <c>Authorization: Bearer &lt;key&gt;</c>, <c>Charter-Purpose: evaluation</c>,
/// <c>Charter-Eval-Run: &lt;run id&gt;</c>. Other 4xx answers (policy denials, unknown model) are final: they are
/// returned as errors without retrying.
/// </remarks>
public sealed class GatewayClient : IDisposable
{
    private static readonly MediaTypeHeaderValue _json = new("application/json");
    private readonly HttpClient _http;
    private readonly GatewayClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue? _auth;
    private long _requestsSent;

    /// <summary>Creates a client; <paramref name="handler"/> replaces the socket handler (tests, benchmarks).</summary>
    public GatewayClient(GatewayClientOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        handler ??= new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = ChatEndpoint(options.BaseUrl);
        _auth = string.IsNullOrEmpty(options.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>The chat completions URL for a gateway base URL (with or without /v1).</summary>
    public static Uri ChatEndpoint(string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var trimmed = baseUrl.TrimEnd('/');
        return new Uri(trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed + "/chat/completions" : trimmed + "/v1/chat/completions");
    }

    /// <summary>Serialises a request body; the bytes are also the input of the cache key.</summary>
    public static byte[] BuildBody(string model, IReadOnlyList<(string Role, string Content)> messages, RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(parameters);
        var dto = new ChatCompletionRequestDto
        {
            Model = model,
            Messages = new ChatMessageDto[messages.Count],
            Temperature = parameters.Temperature,
            TopP = parameters.TopP,
            MaxTokens = parameters.MaxTokens,
            Seed = parameters.Seed,
        };
        for (var i = 0; i < messages.Count; i++)
        {
            dto.Messages[i] = new ChatMessageDto { Role = messages[i].Role, Content = messages[i].Content };
        }

        return JsonSerializer.SerializeToUtf8Bytes(dto, EvalJsonContext.Default.ChatCompletionRequestDto);
    }

    /// <summary>Sends one request body, retrying transient failures; never throws for HTTP or network errors.</summary>
    public async Task<CompletionResult> CompleteAsync(byte[] body, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(runId);
        var attempts = 0;
        var rateLimited = 0;
        var failures = 0;
        string lastError;
        var lastStatus = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts++;
            TimeSpan? retryAfter = null;
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
            request.Headers.Authorization = _auth;
            request.Headers.TryAddWithoutValidation("Charter-Purpose", _options.Purpose);
            request.Headers.TryAddWithoutValidation("Charter-Eval-Run", runId);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = _json;

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var start = _time.GetTimestamp();
            try
            {
                Interlocked.Increment(ref _requestsSent);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                var latency = _time.GetElapsedTime(start).TotalMilliseconds;
                lastStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return Parse(bytes, response, latency, attempts);
                }

                lastError = $"HTTP {lastStatus}: {ErrorMessage(bytes)}";
                if (!IsRetryable(response.StatusCode))
                {
                    return new CompletionResult { Error = lastError, StatusCode = lastStatus, Attempts = attempts, LatencyMs = latency, PolicyVersion = Header(response, "charter-policy-version") };
                }

                retryAfter = RetryAfter(response);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    rateLimited++;
                }
                else
                {
                    failures++;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                lastStatus = 0;
                lastError = ex is OperationCanceledException ? "request timed out" : "connection error: " + ex.Message;
                failures++;
            }

            if (failures >= _options.MaxAttempts || rateLimited >= _options.MaxRateLimitAttempts)
            {
                return new CompletionResult { Error = lastError, StatusCode = lastStatus, Attempts = attempts };
            }

            await Task.Delay(Backoff(failures + rateLimited, retryAfter), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Delay before the next attempt: the server's retry-after when given (capped at 60 s), else
    /// exponential backoff from <see cref="GatewayClientOptions.BaseDelay"/> with ±25% jitter.</summary>
    internal TimeSpan Backoff(int retries, TimeSpan? retryAfter)
    {
        if (retryAfter is { } ra)
        {
            var jitter = 1 + (Random.Shared.NextDouble() * 0.1);
            return TimeSpan.FromMilliseconds(Math.Min(ra.TotalMilliseconds * jitter, 60_000));
        }

        var exp = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retries - 1, 16));
        var capped = Math.Min(exp, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }

    /// <summary>Reads <c>retry-after-ms</c>, then <c>retry-after</c> (seconds or an HTTP date).</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (Header(response, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var msValue) && msValue >= 0)
        {
            return TimeSpan.FromMilliseconds(msValue);
        }

        if (Header(response, "retry-after") is { } ra)
        {
            if (double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(ra, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var delta = date - DateTimeOffset.UtcNow;
                return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private static CompletionResult Parse(byte[] bytes, HttpResponseMessage response, double latency, int attempts)
    {
        ChatCompletionResponseDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(bytes, EvalJsonContext.Default.ChatCompletionResponseDto);
        }
        catch (JsonException ex)
        {
            return new CompletionResult { Error = "invalid response JSON: " + ex.Message, StatusCode = (int)response.StatusCode, Attempts = attempts, LatencyMs = latency };
        }

        var content = dto?.Choices is { Length: > 0 } choices ? choices[0].Message?.Content : null;
        if (content is null)
        {
            return new CompletionResult { Error = "response has no choices[0].message.content", StatusCode = (int)response.StatusCode, Attempts = attempts, LatencyMs = latency };
        }

        double? cost = dto!.Usage?.Cost;
        if (Header(response, "charter-cost") is { } c && double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var headerCost))
        {
            cost = headerCost;
        }

        return new CompletionResult
        {
            Output = content,
            StatusCode = (int)response.StatusCode,
            PromptTokens = dto.Usage?.PromptTokens ?? 0,
            CompletionTokens = dto.Usage?.CompletionTokens ?? 0,
            Cost = cost,
            LatencyMs = latency,
            Attempts = attempts,
            PolicyVersion = Header(response, "charter-policy-version"),
        };
    }

    private static string ErrorMessage(byte[] bytes)
    {
        try
        {
            var dto = JsonSerializer.Deserialize(bytes, EvalJsonContext.Default.ChatCompletionResponseDto);
            if (dto?.Error?.Message is { } message)
            {
                return dto.Error.Code is { } code ? $"{message} ({code})" : message;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the raw text below.
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        return text.Length == 0 ? "(empty body)" : text;
    }

    private static string? Header(HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out var values))
        {
            foreach (var v in values)
            {
                return v;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
