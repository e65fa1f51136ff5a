// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Charter.Records;

namespace Charter.Cli.Commands;

/// <summary><c>charter logs export</c>: request records as v1 JSON Lines (optionally gzip).</summary>
internal static class LogsCommands
{
    public static Command Create()
    {
        var db = CommonOptions.Db();
        var output = new Option<string>("--out") { Description = "Output file (.jsonl or .jsonl.gz)", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Earliest timestamp (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Latest timestamp (ISO 8601)" };
        var export = new Command("export", "Export request records (v1 JSON Lines)") { output, from, to, db };
        export.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var store = await CommonOptions.OpenStoreAsync(pr.GetValue(db)!, ct).ConfigureAwait(false);
            var path = pr.GetValue(output)!;
            var count = await ExportAsync(store.ReadRequestsAsync(pr.GetValue(from), pr.GetValue(to), ct), path, ct).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"exported {count} records to {path}").ConfigureAwait(false);
            return 0;
        });
        return new Command("logs", "Request records") { export };
    }

    /// <summary>Writes records to <paramref name="path"/>; returns how many.</summary>
    public static async Task<long> ExportAsync(IAsyncEnumerable<RequestRecord> records, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        long count = 0;
        var nl = "\n"u8.ToArray();
        await foreach (var r in records.ConfigureAwait(false))
        {
            await using (var w = new Utf8JsonWriter(stream))
            {
                WriteRecord(w, r);
            }

            await stream.WriteAsync(nl, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>Writes one record in the v1 form plus id, latency, status and error code.</summary>
    public static void WriteRecord(Utf8JsonWriter w, RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteString("ts", r.Ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("id", r.Id);
        w.WriteString("key", r.Key);
        w.WriteString("team", r.Team);
        w.WriteString("provider", r.Provider);
        w.WriteString("account", r.Account);
        w.WriteString("model", r.Model);
        w.WriteString("purpose", r.Purpose);
        w.WriteString("endpoint", r.Endpoint);
        w.WritePropertyName("request");
        if (r.RequestJson is { } body)
        {
            w.WriteRawValue(body);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartObject("usage");
        if (r.PromptTokens is { } p)
        {
            w.WriteNumber("prompt_tokens", p);
        }

        if (r.CompletionTokens is { } c)
        {
            w.WriteNumber("completion_tokens", c);
        }

        if (r.Estimated)
        {
            w.WriteBoolean("estimated", true);
        }

        w.WriteEndObject();
        if (r.Status is { } s)
        {
            w.WriteNumber("status", s);
        }
        else
        {
            w.WriteNull("status");
        }

        w.WriteString("error_code", r.ErrorCode);
        w.WriteString("decision", r.Decision);
        w.WriteString("rule", r.Rule);
        w.WriteString("eval_run", r.EvalRun);
        if (r.LatencyMs is { } l)
        {
            w.WriteNumber("latency_ms", Math.Round(l, 3));
        }

        if (r.FirstTokenMs is { } ttft)
        {
            w.WriteNumber("first_token_ms", Math.Round(ttft, 3));
        }

        if (r.ResponseId is { } responseId)
        {
            w.WriteString("response_id", responseId);
        }

        w.WriteEndObject();
    }
}
