// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Charter.Hosting;

/// <summary>
/// <c>GET /readyz</c>: whether this instance should take traffic. <c>/healthz</c> says the process is up (liveness); this
/// also asks the database (a read of the journal position, within a timeout) and the integration (the journal's
/// backlog under <see cref="ReadinessOptions.MaxBacklogBytes"/>). 200 <c>{"status":"ready"}</c>, or 503
/// <c>{"status":"not_ready","reasons":[…]}</c>. No key is needed and no figure is shown, as for <c>/healthz</c>.
/// </summary>
public sealed class ReadinessCheck
{
    private readonly ReadinessOptions _options;
    private readonly Func<bool> _started;
    private readonly Func<long> _backlogBytes;
    private readonly Func<CancellationToken, Task> _readDatabase;

    /// <summary>Creates the check over the pipeline's state and a database read.</summary>
    public ReadinessCheck(ReadinessOptions options, Func<bool> started, Func<long> backlogBytes, Func<CancellationToken, Task> readDatabase)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(backlogBytes);
        ArgumentNullException.ThrowIfNull(readDatabase);
        _options = options;
        _started = started;
        _backlogBytes = backlogBytes;
        _readDatabase = readDatabase;
    }

    /// <summary>The reasons this instance is not ready; empty when it is.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        var reasons = new List<string>(3);
        if (!_started())
        {
            reasons.Add("not integrating: the journal is being recovered, or the integrator has stopped");
        }

        if (_options.MaxBacklogBytes > 0 && _backlogBytes() > _options.MaxBacklogBytes)
        {
            reasons.Add("behind: the request records, audit log and detection lag the journal by more than Readiness:MaxBacklogBytes");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DatabaseTimeoutMs);
        try
        {
            await _readDatabase(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reasons.Add($"database: no answer within {_options.DatabaseTimeoutMs} ms");
        }
#pragma warning disable CA1031 // any failure of the read is the answer: not ready, with its kind (never its message, which may name a host)
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            reasons.Add("database: " + ex.GetType().Name);
        }

        return reasons;
    }

    /// <summary>The endpoint.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reasons = await CheckAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, reasons.Count == 0 ? "ready" : "not_ready");
            if (reasons.Count > 0)
            {
                writer.WriteStartArray("reasons"u8);
                foreach (var reason in reasons)
                {
                    writer.WriteStringValue(reason);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
