// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Charter.Audit;
using Charter.Audit.Export;
using Charter.Audit.Signing;
using Charter.Audit.Storage;
using Charter.Audit.Verification;
using Npgsql;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter audit</c>: verify the log, export and verify evidence bundles, sign, rotate keys.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var db = new Option<string>("--db")
        {
            Description = "Database: a SQLite file (default charter.db), a postgres:// URL or an Npgsql connection string",
            DefaultValueFactory = _ => "charter.db",
        };
        var keyDir = new Option<string?>("--key-dir") { Description = "Audit key directory (default: audit-keys beside a SQLite file; ./audit-keys for PostgreSQL)" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        var trustedKey = new Option<string[]>("--trusted-key") { Description = "Also trust this note verifier key (repeatable)" };
        var origin = new Option<string>("--origin") { Description = "Log origin / key name", DefaultValueFactory = _ => new AuditOptions().Origin };

        var verify = new Command("verify", "Recompute the tree from the stored leaves and check every signed checkpoint") { db, keyDir, trustedKey, json };
        verify.SetAction((pr, ct) => VerifyAsync(pr.GetValue(db)!, pr.GetValue(keyDir), pr.GetValue(trustedKey), pr.GetValue(json), ct));

        var outPath = new Option<string>("--out") { Description = "Bundle directory, or a path ending in .zip", Required = true };
        var from = new Option<string?>("--from") { Description = "Earliest event time (inclusive, ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "Latest event time (exclusive, ISO 8601)" };
        var team = new Option<string?>("--team") { Description = "Only this team's events" };
        var key = new Option<string?>("--key") { Description = "Only this key's events" };
        var provider = new Option<string?>("--provider") { Description = "Only this provider's events" };
        var export = new Command("export", "Write an evidence bundle with inclusion proofs, checkpoint, keys and summaries") { db, outPath, from, to, team, key, provider, json };
        export.SetAction((pr, ct) => ExportAsync(pr.GetValue(db)!, pr.GetValue(outPath)!, pr.GetValue(from), pr.GetValue(to), pr.GetValue(team), pr.GetValue(key), pr.GetValue(provider), pr.GetValue(json), ct));

        var bundlePath = new Argument<string>("path") { Description = "Bundle directory or .zip" };
        var pinned = new Option<string[]>("--key") { Description = "Trust only this note verifier key (repeatable); default: the bundle's own keys" };
        var verifyBundle = new Command("verify-bundle", "Check an evidence bundle using nothing but the bundle") { bundlePath, pinned, json };
        verifyBundle.SetAction((pr, ct) => Task.FromResult(VerifyBundle(pr.GetValue(bundlePath)!, pr.GetValue(pinned), pr.GetValue(json))));

        var checkpoint = new Command("checkpoint", "Sign a checkpoint of the current tree now") { db, keyDir, origin };
        checkpoint.SetAction((pr, ct) => CheckpointAsync(pr.GetValue(db)!, pr.GetValue(keyDir), pr.GetValue(origin)!, ct));

        var rotate = new Command("rotate-key", "Replace the signing key (old public keys stay trusted for old checkpoints)") { db, keyDir, origin };
        rotate.SetAction((pr, ct) => RotateAsync(pr.GetValue(db)!, pr.GetValue(keyDir), pr.GetValue(origin)!, ct));

        return new Command("audit", "Tamper-evident audit log") { verify, export, verifyBundle, checkpoint, rotate };
    }

    private static async Task<int> VerifyAsync(string db, string? keyDir, string[]? trustedKeys, bool json, CancellationToken ct)
    {
        var extra = new List<NoteVerifierKey>();
        foreach (var text in trustedKeys ?? [])
        {
            if (NoteVerifierKey.TryParse(text) is not { } k)
            {
                return Fail(json, $"--trusted-key {text}: not a valid verifier key", 2);
            }

            extra.Add(k);
        }

        if (OpenExisting(db, json, out var store) is { } failed)
        {
            return failed;
        }

        AuditVerifyResult result;
        try
        {
            await store.EnsureCreatedAsync(ct).ConfigureAwait(false);
            result = await AuditVerifier.VerifyAsync(store, ResolveKeyDirectory(db, keyDir), extra, ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            return Fail(json, DatabaseError(e), 1);
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }

        if (json)
        {
            WriteJson(w =>
            {
                w.WriteBoolean("ok", result.Ok);
                w.WriteNumber("entries", result.Entries);
                w.WriteNumber("checkpoints", result.Checkpoints);
                if (result.FailingIndex is { } i)
                {
                    w.WriteNumber("failing_index", i);
                    w.WriteString("problem", result.Problem);
                }

                WriteArray(w, "warnings", result.Warnings);
            });
        }
        else
        {
            foreach (var warning in result.Warnings)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            }

            if (result.Ok)
            {
                AnsiConsole.WriteLine($"verified {result.Entries} entries, {result.Checkpoints} checkpoints");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[red]FAILED at index {result.FailingIndex}:[/] {result.Problem}");
            }
        }

        return result.Ok ? 0 : 1;
    }

    private static async Task<int> ExportAsync(string db, string outPath, string? from, string? to, string? team, string? key, string? provider, bool json, CancellationToken ct)
    {
        var selectors = (team is null ? 0 : 1) + (key is null ? 0 : 1) + (provider is null ? 0 : 1);
        if (selectors > 1)
        {
            return Fail(json, "use at most one of --team, --key, --provider", 2);
        }

        if (!TryTime(from, out var fromTime) || !TryTime(to, out var toTime))
        {
            return Fail(json, "--from and --to take ISO 8601 times, e.g. 2026-10-05T00:00:00Z", 2);
        }

        if (OpenExisting(db, json, out var store) is { } failed)
        {
            return failed;
        }

        BundleExportResult result;
        try
        {
            await store.EnsureCreatedAsync(ct).ConfigureAwait(false);
            result = await BundleExporter.ExportAsync(store, outPath, new ExportFilter(fromTime, toTime, team, key, provider), TimeProvider.System, ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            return Fail(json, DatabaseError(e), 1);
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }

        if (!result.Ok)
        {
            return Fail(json, result.Problem!, 1);
        }

        if (json)
        {
            WriteJson(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteString("path", outPath);
                w.WriteNumber("entries", result.Entries);
                w.WriteNumber("checkpoint_size", result.CheckpointSize);
            });
        }
        else
        {
            AnsiConsole.WriteLine($"exported {result.Entries} entries proven against checkpoint size {result.CheckpointSize} to {outPath}");
        }

        return 0;
    }

    private static int VerifyBundle(string path, string[]? keys, bool json)
    {
        var pinned = new List<NoteVerifierKey>();
        foreach (var text in keys ?? [])
        {
            if (NoteVerifierKey.TryParse(text) is not { } k)
            {
                return Fail(json, $"--key {text}: not a valid verifier key", 2);
            }

            pinned.Add(k);
        }

        var result = BundleVerifier.Verify(path, pinned);
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteBoolean("ok", result.Ok);
                w.WriteNumber("entries", result.Entries);
                w.WriteNumber("checkpoint_size", result.CheckpointSize);
                w.WriteString("signer", result.SignerKey);
                WriteArray(w, "problems", result.Problems);
                WriteArray(w, "warnings", result.Warnings);
            });
        }
        else
        {
            foreach (var warning in result.Warnings)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            }

            foreach (var problem in result.Problems)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]problem:[/] {problem}");
            }

            if (result.Ok)
            {
                AnsiConsole.WriteLine($"bundle verified: {result.Entries} entries included in checkpoint size {result.CheckpointSize} signed by {result.SignerKey}");
            }
        }

        return result.Ok ? 0 : 1;
    }

    private static async Task<int> CheckpointAsync(string db, string? keyDir, string origin, CancellationToken ct)
    {
        if (Open(db, out var store) is { } error)
        {
            return Fail(json: false, error, 2);
        }

        try
        {
            using var log = new AuditLog(store, new AuditOptions { DatabasePath = db, KeyDirectory = ResolveKeyDirectory(db, keyDir), Origin = origin });
            var cp = await log.CheckpointAsync(ct).ConfigureAwait(false);
            AnsiConsole.Write(cp?.Note ?? "log is empty: nothing to sign\n");
            return 0;
        }
        catch (NpgsqlException e)
        {
            return Fail(json: false, DatabaseError(e), 1);
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }
    }

    private static async Task<int> RotateAsync(string db, string? keyDir, string origin, CancellationToken ct)
    {
        if (Open(db, out var store) is { } error)
        {
            return Fail(json: false, error, 2);
        }

        try
        {
            using var log = new AuditLog(store, new AuditOptions { DatabasePath = db, KeyDirectory = ResolveKeyDirectory(db, keyDir), Origin = origin });
            var key = await log.RotateKeyAsync(ct).ConfigureAwait(false);
            AnsiConsole.WriteLine($"new signing key: {key.Text}");
            AnsiConsole.WriteLine("restart running gateways so they sign with it");
            return 0;
        }
        catch (NpgsqlException e)
        {
            return Fail(json: false, DatabaseError(e), 1);
        }
        finally
        {
            await CloseAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the audit store <paramref name="db"/> names: PostgreSQL for a URL or connection string, else a SQLite file.</summary>
    /// <returns>Null, or why the setting is unusable.</returns>
    private static string? Open(string db, out IAuditStore store)
    {
        store = null!;
        if (!PostgresConnectionStrings.IsPostgres(db))
        {
            store = new SqliteAuditStore(db);
            return null;
        }

        try
        {
            store = new PostgresAuditStore(db);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"--db: {e.Message}";
        }
    }

    /// <summary>As <see cref="Open"/>, but a SQLite file must already exist (reading commands never create one).</summary>
    /// <returns>Null, or the exit code after reporting the problem.</returns>
    private static int? OpenExisting(string db, bool json, out IAuditStore store)
    {
        store = null!;
        if (!PostgresConnectionStrings.IsPostgres(db) && !File.Exists(db))
        {
            return Fail(json, $"{db}: no such database", 2);
        }

        return Open(db, out store) is { } error ? Fail(json, error, 2) : null;
    }

    /// <summary>The key directory: as given, else <c>audit-keys</c> beside a SQLite file, else <c>./audit-keys</c> (as the gateway does for PostgreSQL).</summary>
    private static string ResolveKeyDirectory(string db, string? keyDir) =>
        keyDir ?? (PostgresConnectionStrings.IsPostgres(db) ? Path.GetFullPath("audit-keys") : AuditKeyFiles.DefaultDirectoryFor(db));

    private static async ValueTask CloseAsync(IAuditStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A database failure without the connection settings (they may carry a password).</summary>
    private static string DatabaseError(NpgsqlException e) => e is PostgresException pg
        ? $"database: {pg.SqlState}: {pg.MessageText}"
        : $"database unreachable: {e.Message}";

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            value = t;
            return true;
        }

        return false;
    }

    private static int Fail(bool json, string message, int code)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteBoolean("ok", false);
                w.WriteString("error", message);
            });
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        }

        return code;
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }

    private static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
