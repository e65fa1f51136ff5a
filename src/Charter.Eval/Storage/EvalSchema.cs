// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Data.Sqlite;

namespace Charter.Eval.Storage;

/// <summary>Creates the evaluation tables (<c>eval_runs</c>, <c>eval_results</c>, <c>eval_cache</c>) if missing.</summary>
public static class EvalSchema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS eval_runs (
            run_id TEXT PRIMARY KEY,
            suite_name TEXT NOT NULL,
            suite_path TEXT NOT NULL,
            suite_hash TEXT NOT NULL,
            gateway_url TEXT NOT NULL,
            policy_version TEXT,
            models TEXT NOT NULL,
            repeat INTEGER NOT NULL,
            case_count INTEGER NOT NULL,
            concurrency INTEGER NOT NULL,
            parameters TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            wall_ms REAL NOT NULL DEFAULT 0,
            upstream_requests INTEGER NOT NULL DEFAULT 0,
            cpu_ms REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS eval_results (
            run_id TEXT NOT NULL,
            model TEXT NOT NULL,
            case_index INTEGER NOT NULL,
            repeat_index INTEGER NOT NULL,
            case_id TEXT NOT NULL,
            prompt TEXT NOT NULL,
            expected TEXT,
            output TEXT,
            score REAL NOT NULL,
            passed INTEGER NOT NULL,
            scorer TEXT NOT NULL,
            detail TEXT,
            error TEXT,
            latency_ms REAL NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost REAL,
            cached INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            PRIMARY KEY (run_id, model, case_index, repeat_index)
        );
        CREATE TABLE IF NOT EXISTS eval_cache (
            cache_key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            output TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost REAL,
            latency_ms REAL NOT NULL,
            policy_version TEXT,
            created_at TEXT NOT NULL
        );
        """;

    /// <summary>Applies the schema (idempotent).</summary>
    public static void EnsureCreated(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Ddl;
        cmd.ExecuteNonQuery();
    }
}
