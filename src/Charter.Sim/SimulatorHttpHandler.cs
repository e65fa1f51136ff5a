// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Charter.Sim;

/// <summary>Answers the simulator's routes in process (no socket), so an <see cref="HttpClient"/> can call provider type <c>sim</c>.</summary>
/// <remarks>
/// Routes are those of <see cref="SimulatorEndpoints"/>, matched on the request path after <c>prefix</c>; the host is ignored.
/// Streamed responses really stream through a <see cref="Pipe"/>: the response returns at once and chunks arrive
/// as they are generated; disposing the response stream stops generation. A simulated drop makes the body
/// stream throw an <see cref="IOException"/> part-way (wrapped in <see cref="HttpRequestException"/> when buffered).
/// </remarks>
public sealed class SimulatorHttpHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private static readonly PipeOptions s_pipeOptions = new(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024, useSynchronizationContext: false);

    private readonly Simulator _simulator;
    private readonly string _prefix;

    /// <summary>Creates a handler over <paramref name="simulator"/>; <paramref name="prefix"/> is stripped from paths.</summary>
    public SimulatorHttpHandler(Simulator simulator, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(simulator);
        _simulator = simulator;
        _prefix = (prefix ?? string.Empty).TrimEnd('/');
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString;
        if (_prefix.Length > 0)
        {
            if (!path.StartsWith(_prefix, StringComparison.Ordinal))
            {
                return NotFound(request);
            }

            path = path[_prefix.Length..];
        }

        if (!SimRoute.TryMatchApi(path, request.Method.Method, out var endpoint, out var flavor, out var name))
        {
            return await ControlAsync(request, path, cancellationToken).ConfigureAwait(false);
        }

        var headers = request.Headers;
        bool credential;
        string? apiVersion;
        if (flavor == SimFlavor.Anthropic)
        {
            credential = headers.TryGetValues("x-api-key", out var keys) && !string.IsNullOrEmpty(First(keys));
            apiVersion = headers.TryGetValues("anthropic-version", out var versions) ? First(versions) : null;
        }
        else
        {
            credential = headers.Contains("api-key") || headers.Authorization is not null;
            apiVersion = uri.IsAbsoluteUri ? SimRoute.QueryValue(uri.Query, "api-version") : null;
        }

        var charterId = headers.TryGetValues("X-Charter-Request-Id", out var ids) ? First(ids) : null;
        var info = new SimRequest(endpoint, flavor, name, apiVersion, credential, charterId, uri.IsAbsoluteUri ? uri.Query : null);

        SimResponse response;
        if (endpoint is SimEndpoint.ChatCompletions or SimEndpoint.Completions or SimEndpoint.Embeddings or SimEndpoint.Moderations or SimEndpoint.Messages
            or SimEndpoint.MessagesCountTokens or SimEndpoint.Responses)
        {
            using var body = await ReadBodyAsync(request.Content, cancellationToken).ConfigureAwait(false);
            response = _simulator.Handle(info, new ReadOnlySequence<byte>(body.WrittenMemory));
        }
        else
        {
            response = _simulator.Handle(info, ReadOnlySequence<byte>.Empty);
        }

        return await SendAsync(request, response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, SimResponse response, CancellationToken cancellationToken)
    {
        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode) { RequestMessage = request };
        try
        {
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, _simulator.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            message.Headers.TryAddWithoutValidation(response.RequestIdHeader, response.RequestId);
            if (response.RetryAfterSeconds >= 0)
            {
                message.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(response.RetryAfterSeconds));
            }

            if (response.Stream is { } stream)
            {
                var pipe = new Pipe(s_pipeOptions);
                var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _ = Task.Run(() => GenerateAsync(stream, pipe.Writer, generation), CancellationToken.None);
                message.Content = new StreamContent(new SimResponseStream(pipe.Reader.AsStream(), generation));
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream") { CharSet = "utf-8" };
                message.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
                return message;
            }

            var body = response.Body!;
            if (response.Drop)
            {
                var pipe = new Pipe(s_pipeOptions);
                await pipe.Writer.WriteAsync(body.WrittenMemory[..(body.WrittenCount / 2)], cancellationToken).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync(new IOException("The simulated upstream dropped the connection.")).ConfigureAwait(false);
                message.Content = new StreamContent(pipe.Reader.AsStream());
                message.Content.Headers.ContentLength = body.WrittenCount;
            }
            else
            {
                message.Content = new ByteArrayContent(body.WrittenSpan.ToArray());
            }

            message.Content.Headers.ContentType = s_json;
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
        finally
        {
            if (response.Stream is null)
            {
                response.Dispose();
            }
        }
    }

    private static async Task GenerateAsync(SimStream stream, PipeWriter writer, CancellationTokenSource generation)
    {
        try
        {
            var outcome = await stream.WriteAsync(writer, generation.Token).ConfigureAwait(false);
            if (outcome == StreamOutcome.Dropped)
            {
                await writer.CompleteAsync(new IOException("The simulated upstream dropped the connection.")).ConfigureAwait(false);
            }
            else
            {
                await writer.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            generation.Dispose();
        }
    }

    private async Task<HttpResponseMessage> ControlAsync(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        var control = SimRoute.MatchControl(path);
        var isPost = request.Method == HttpMethod.Post;
        var isGet = request.Method == HttpMethod.Get;
        switch (control)
        {
            case SimRoute.Control.Requests when isGet:
                return Json(request, 200, _simulator, static (w, s) => s.WriteSeen(w));
            case SimRoute.Control.Reset when isPost:
                _simulator.Reset();
                return Json(request, 200, _simulator, static (w, s) => s.WriteConfig(w));
            case SimRoute.Control.Config when isGet:
                return Json(request, 200, _simulator, static (w, s) => s.WriteConfig(w));
            case SimRoute.Control.Config when isPost:
                using (var body = await ReadBodyAsync(request.Content, cancellationToken).ConfigureAwait(false))
                {
                    var error = _simulator.ApplyConfigJson(new ReadOnlySequence<byte>(body.WrittenMemory));
                    return error is null
                        ? Json(request, 200, _simulator, static (w, s) => s.WriteConfig(w))
                        : Json(request, error.Status, error, static (w, e) => Simulator.WriteError(w, e));
                }

            default:
                return NotFound(request);
        }
    }

    private static HttpResponseMessage NotFound(HttpRequestMessage request) =>
        Json(
            request,
            404,
            new SimError(404, $"Unknown request URL: {request.Method} {request.RequestUri?.AbsolutePath}.", "invalid_request_error", null, "unknown_url"),
            static (w, e) => Simulator.WriteError(w, e));

    private static HttpResponseMessage Json<TState>(HttpRequestMessage request, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        using var body = new PooledBufferWriter(1024);
        using (var w = new Utf8JsonWriter(body, ChatWriter.WriterOptions))
        {
            write(w, state);
        }

        var content = new ByteArrayContent(body.WrittenSpan.ToArray());
        content.Headers.ContentType = s_json;
        return new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request, Content = content };
    }

    private static async Task<PooledBufferWriter> ReadBodyAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        var length = content?.Headers.ContentLength ?? 0;
        var buffer = new PooledBufferWriter((int)Math.Clamp(length, 256, 1 << 20));
        if (content is null)
        {
            return buffer;
        }

        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    buffer.Advance(read);
                }
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static string? First(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            return value;
        }

        return null;
    }
}
