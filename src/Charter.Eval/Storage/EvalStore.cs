// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using Charter.Eval.Running;
using Microsoft.Data.Sqlite;

namespace Charter.Eval.Storage;

/// <summary>Reads and writes runs, results and the response cache in the shared SQLite database.</summary>
/// <remarks>Not thread-safe: the runner gives it to one writer task.</remarks>
public sealed class EvalStore : IDisposable
{
    private const string ResultColumns = "model, case_index, repeat_index, case_id, prompt, expected, output, score, passed, scorer, detail, error, latency_ms, prompt_tokens, completion_tokens, cost, cached, attempts";
    private const string RunColumns = "run_id, suite_name, suite_path, suite_hash, gateway_url, policy_version, models, repeat, case_count, concurrency, parameters, started_at, finished_at, status, wall_ms, upstream_requests, cpu_ms";
    private readonly SqliteConnection _connection;

    private EvalStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens (creating if needed) the database file and applies the schema.</summary>
    public static EvalStore Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        EvalSchema.EnsureCreated(connection);
        return new EvalStore(connection);
    }

    /// <summary>Inserts or replaces a run's metadata.</summary>
    public void SaveRun(EvalRunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"INSERT OR REPLACE INTO eval_runs ({RunColumns}) VALUES ($id,$name,$path,$hash,$gw,$pv,$models,$repeat,$cases,$conc,$params,$start,$end,$status,$wall,$up,$cpu)";
        cmd.Parameters.AddWithValue("$id", run.RunId);
        cmd.Parameters.AddWithValue("$name", run.SuiteName);
        cmd.Parameters.AddWithValue("$path", run.SuitePath);
        cmd.Parameters.AddWithValue("$hash", run.SuiteHash);
        cmd.Parameters.AddWithValue("$gw", run.GatewayUrl);
        cmd.Parameters.AddWithValue("$pv", (object?)run.PolicyVersion ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$models", JsonSerializer.Serialize([.. run.Models], EvalJsonContext.Default.StringArray));
        cmd.Parameters.AddWithValue("$repeat", run.Repeat);
        cmd.Parameters.AddWithValue("$cases", run.CaseCount);
        cmd.Parameters.AddWithValue("$conc", run.Concurrency);
        cmd.Parameters.AddWithValue("$params", run.Parameters);
        cmd.Parameters.AddWithValue("$start", run.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$end", run.FinishedAt is { } f ? f.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value);
        cmd.Parameters.AddWithValue("$status", run.Status);
        cmd.Parameters.AddWithValue("$wall", run.WallMs);
        cmd.Parameters.AddWithValue("$up", run.UpstreamRequests);
        cmd.Parameters.AddWithValue("$cpu", run.CpuMs);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Writes a batch of results, and the fresh responses among them into the cache, in one transaction.</summary>
    public void WriteBatch(string runId, IReadOnlyList<CaseResult> results, IReadOnlyList<(string Key, string Model, CachedResponse Response)> cacheEntries)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(cacheEntries);
        using var tx = _connection.BeginTransaction();
        if (results.Count > 0)
        {
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT OR REPLACE INTO eval_results (run_id, {ResultColumns}) VALUES ($run,$model,$ci,$ri,$cid,$prompt,$exp,$out,$score,$passed,$scorer,$detail,$error,$lat,$pt,$ct,$cost,$cached,$att)";
            var names = new[] { "$run", "$model", "$ci", "$ri", "$cid", "$prompt", "$exp", "$out", "$score", "$passed", "$scorer", "$detail", "$error", "$lat", "$pt", "$ct", "$cost", "$cached", "$att" };
            foreach (var n in names)
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
            }

            cmd.Prepare();
            foreach (var r in results)
            {
                var p = cmd.Parameters;
                p[0].Value = runId;
                p[1].Value = r.Model;
                p[2].Value = r.CaseIndex;
                p[3].Value = r.RepeatIndex;
                p[4].Value = r.CaseId;
                p[5].Value = r.Prompt;
                p[6].Value = (object?)r.Expected ?? DBNull.Value;
                p[7].Value = (object?)r.Output ?? DBNull.Value;
                p[8].Value = r.Score;
                p[9].Value = r.Passed ? 1 : 0;
                p[10].Value = r.Scorer;
                p[11].Value = (object?)r.Detail ?? DBNull.Value;
                p[12].Value = (object?)r.Error ?? DBNull.Value;
                p[13].Value = r.LatencyMs;
                p[14].Value = r.PromptTokens;
                p[15].Value = r.CompletionTokens;
                p[16].Value = r.Cost is { } c ? c : DBNull.Value;
                p[17].Value = r.Cached ? 1 : 0;
                p[18].Value = r.Attempts;
                cmd.ExecuteNonQuery();
            }
        }

        if (cacheEntries.Count > 0)
        {
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT OR REPLACE INTO eval_cache (cache_key, model, output, prompt_tokens, completion_tokens, cost, latency_ms, policy_version, created_at) VALUES ($k,$m,$o,$pt,$ct,$c,$l,$pv,$at)";
            foreach (var n in (ReadOnlySpan<string>)["$k", "$m", "$o", "$pt", "$ct", "$c", "$l", "$pv", "$at"])
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
            }

            cmd.Prepare();
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            foreach (var (key, model, resp) in cacheEntries)
            {
                var p = cmd.Parameters;
                p[0].Value = key;
                p[1].Value = model;
                p[2].Value = resp.Output;
                p[3].Value = resp.PromptTokens;
                p[4].Value = resp.CompletionTokens;
                p[5].Value = resp.Cost is { } c ? c : DBNull.Value;
                p[6].Value = resp.LatencyMs;
                p[7].Value = (object?)resp.PolicyVersion ?? DBNull.Value;
                p[8].Value = now;
                cmd.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }

    /// <summary>Looks up cache keys; returns the ones found.</summary>
    public Dictionary<string, CachedResponse> LookupCache(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, CachedResponse>(StringComparer.Ordinal);
        using var tx = _connection.BeginTransaction();
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT output, prompt_tokens, completion_tokens, cost, latency_ms, policy_version FROM eval_cache WHERE cache_key = $k";
        var p = cmd.Parameters.Add(new SqliteParameter { ParameterName = "$k" });
        cmd.Prepare();
        foreach (var key in keys)
        {
            p.Value = key;
            using var reader = cmd.ExecuteReader();
            if (reader.Read())
            {
                found[key] = new CachedResponse(
                    reader.GetString(0),
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5));
            }
        }

        tx.Commit();
        return found;
    }

    /// <summary>All runs, newest first.</summary>
    public List<EvalRunInfo> ListRuns()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT {RunColumns} FROM eval_runs ORDER BY started_at DESC";
        using var reader = cmd.ExecuteReader();
        var list = new List<EvalRunInfo>();
        while (reader.Read())
        {
            list.Add(ReadRun(reader));
        }

        return list;
    }

    /// <summary>Finds a run by id, unique id prefix, or "last"/"latest"; null when none or ambiguous.</summary>
    public EvalRunInfo? FindRun(string idOrPrefix)
    {
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        var runs = ListRuns();
        if (idOrPrefix is "last" or "latest")
        {
            return runs.Count > 0 ? runs[0] : null;
        }

        EvalRunInfo? match = null;
        foreach (var r in runs)
        {
            if (r.RunId == idOrPrefix)
            {
                return r;
            }

            if (r.RunId.StartsWith(idOrPrefix, StringComparison.Ordinal))
            {
                if (match is not null)
                {
                    return null;
                }

                match = r;
            }
        }

        return match;
    }

    /// <summary>Every result of a run, ordered by model, case and repeat.</summary>
    public List<CaseResult> GetResults(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT {ResultColumns} FROM eval_results WHERE run_id = $run ORDER BY model, case_index, repeat_index";
        cmd.Parameters.AddWithValue("$run", runId);
        using var reader = cmd.ExecuteReader();
        var list = new List<CaseResult>();
        while (reader.Read())
        {
            list.Add(new CaseResult
            {
                Model = reader.GetString(0),
                CaseIndex = reader.GetInt32(1),
                RepeatIndex = reader.GetInt32(2),
                CaseId = reader.GetString(3),
                Prompt = reader.GetString(4),
                Expected = reader.IsDBNull(5) ? null : reader.GetString(5),
                Output = reader.IsDBNull(6) ? null : reader.GetString(6),
                Score = reader.GetDouble(7),
                Passed = reader.GetInt32(8) != 0,
                Scorer = reader.GetString(9),
                Detail = reader.IsDBNull(10) ? null : reader.GetString(10),
                Error = reader.IsDBNull(11) ? null : reader.GetString(11),
                LatencyMs = reader.GetDouble(12),
                PromptTokens = reader.GetInt32(13),
                CompletionTokens = reader.GetInt32(14),
                Cost = reader.IsDBNull(15) ? null : reader.GetDouble(15),
                Cached = reader.GetInt32(16) != 0,
                Attempts = reader.GetInt32(17),
            });
        }

        return list;
    }

    private static EvalRunInfo ReadRun(SqliteDataReader reader) => new()
    {
        RunId = reader.GetString(0),
        SuiteName = reader.GetString(1),
        SuitePath = reader.GetString(2),
        SuiteHash = reader.GetString(3),
        GatewayUrl = reader.GetString(4),
        PolicyVersion = reader.IsDBNull(5) ? null : reader.GetString(5),
        Models = JsonSerializer.Deserialize(reader.GetString(6), EvalJsonContext.Default.StringArray) ?? [],
        Repeat = reader.GetInt32(7),
        CaseCount = reader.GetInt32(8),
        Concurrency = reader.GetInt32(9),
        Parameters = reader.GetString(10),
        StartedAt = DateTimeOffset.Parse(reader.GetString(11), CultureInfo.InvariantCulture),
        FinishedAt = reader.IsDBNull(12) ? null : DateTimeOffset.Parse(reader.GetString(12), CultureInfo.InvariantCulture),
        Status = reader.GetString(13),
        WallMs = reader.GetDouble(14),
        UpstreamRequests = reader.GetInt64(15),
        CpuMs = reader.GetDouble(16),
    };

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
