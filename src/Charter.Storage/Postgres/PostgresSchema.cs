// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Storage.Postgres;

/// <summary>The gateway schema on PostgreSQL, applied in numbered steps at start-up (the same tables and columns as SQLite).</summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock key held (transaction-scoped) while migrating ("charter-migrate").</summary>
    public const long MigrationLockKey = 0x4348_4152_5445_5201;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE teams(id text PRIMARY KEY, name text NOT NULL UNIQUE, created_at timestamptz NOT NULL,
            state text NOT NULL DEFAULT 'active', lifecycle text);
        CREATE TABLE api_keys(id text PRIMARY KEY, team_id text NOT NULL REFERENCES teams(id), hash bytea NOT NULL UNIQUE,
            prefix text NOT NULL, name text, purposes text NOT NULL, default_purpose text NOT NULL, jurisdiction text,
            models text, created_at timestamptz NOT NULL, state text NOT NULL DEFAULT 'active', lifecycle text);
        CREATE TABLE accounts(id text PRIMARY KEY, state text NOT NULL DEFAULT 'active', lifecycle text);
        CREATE TABLE admin_keys(id text PRIMARY KEY, hash bytea NOT NULL UNIQUE, role text NOT NULL, name text, created_at timestamptz NOT NULL);
        CREATE TABLE lifecycle_history(seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entity_type text NOT NULL, entity_id text NOT NULL,
            at timestamptz NOT NULL, event text NOT NULL, from_state text, to_state text, actor text NOT NULL, reason text, detail text);
        CREATE INDEX lifecycle_history_entity ON lifecycle_history(entity_type, entity_id);
        CREATE TABLE changes(id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
        INSERT INTO changes(id, version) VALUES (1, 0);
        CREATE TABLE requests(id text PRIMARY KEY, ts timestamptz NOT NULL, key_id text, team_id text, provider text, account text,
            model text, purpose text, endpoint text, request text, prompt_tokens integer, completion_tokens integer,
            estimated boolean NOT NULL DEFAULT false, status integer, error_code text, latency_ms double precision, decision text, rule text,
            eval_run text, policy_version text, messages_sha256 text, cost_nanos bigint);
        CREATE INDEX requests_ts ON requests(ts);
        CREATE INDEX requests_key ON requests(key_id, ts);
        CREATE TABLE journal_progress(consumer text PRIMARY KEY, segment bigint NOT NULL, "offset" bigint NOT NULL);
        """,
        """
        CREATE INDEX IF NOT EXISTS lifecycle_suspended_keys ON api_keys(state) WHERE state = 'suspended';
        CREATE INDEX IF NOT EXISTS lifecycle_suspended_teams ON teams(state) WHERE state = 'suspended';
        CREATE INDEX IF NOT EXISTS lifecycle_suspended_accounts ON accounts(state) WHERE state = 'suspended';
        """,
        """
        CREATE TABLE IF NOT EXISTS detect_findings(id text PRIMARY KEY, subject_kind text NOT NULL, subject_id text NOT NULL,
            team text, risk double precision NOT NULL, crossed_at timestamptz NOT NULL, json text NOT NULL);
        CREATE INDEX IF NOT EXISTS detect_findings_subject ON detect_findings(subject_kind, subject_id);
        """,
        // 4: own limits of keys and teams (null = the configured default).
        """
        CREATE TABLE IF NOT EXISTS limit_overrides(scope text NOT NULL CHECK (scope IN ('key', 'team')), id text NOT NULL,
            requests_per_minute bigint, tokens_per_minute bigint, max_concurrent_requests integer,
            daily_budget_usd numeric, monthly_budget_usd numeric, updated_at timestamptz NOT NULL, PRIMARY KEY (scope, id));
        """,
        // 5: requests_key served no query (as on SQLite) and cost an index insert per request record.
        """
        DROP INDEX IF EXISTS requests_key;
        """,
        // 6: key expiry and rotation (the previous secret's hash while its grace period lasts); admin keys that can be
        // revoked, expire, and say who made them.
        """
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS previous_hash bytea;
        ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS previous_expires_at timestamptz;
        CREATE INDEX IF NOT EXISTS api_keys_previous_hash ON api_keys(previous_hash) WHERE previous_hash IS NOT NULL;
        ALTER TABLE admin_keys ADD COLUMN IF NOT EXISTS created_by text;
        ALTER TABLE admin_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
        ALTER TABLE admin_keys ADD COLUMN IF NOT EXISTS revoked_at timestamptz;
        """,
        // 7: time to first token of streamed requests.
        """
        ALTER TABLE requests ADD COLUMN IF NOT EXISTS first_token_ms double precision;
        """,
        // 8: the upstream's id of a Responses API answer, so that previous_response_id finds its team and account.
        """
        ALTER TABLE requests ADD COLUMN IF NOT EXISTS response_id text;
        CREATE INDEX IF NOT EXISTS requests_response ON requests(response_id) WHERE response_id IS NOT NULL;
        """,
    ];
}
