// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Storage;
using Microsoft.Data.Sqlite;

namespace Charter.Benchmarks.Audit;

/// <summary>Realistic request events and scratch databases for the audit benchmarks.</summary>
internal static class AuditBenchData
{
    public static List<AuditEvent> Events(int count, long offset)
    {
        var start = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);
        var list = new List<AuditEvent>(count);
        for (var j = 0; j < count; j++)
        {
            var i = offset + j;
            list.Add(new AuditEvent
            {
                Kind = AuditEventKinds.Request,
                Ts = start.AddMilliseconds(i * 20),
                Id = "01JABCDEF" + i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
                RequestId = "req-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Key = "ck-team" + (i % 50),
                Team = "team-" + (i % 7),
                Purpose = "evaluation",
                Provider = "openai",
                Account = "openai-prod-eu",
                Model = "gpt-4o",
                Decision = i % 10 == 0 ? "deny" : "allow",
                Rule = i % 10 == 0 ? "no-competing-models" : "evaluation-allowed",
                PolicyVersion = "sha256:3f1c9a0b2d4e",
                MessagesSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                Usage = new AuditUsage(812, 233),
                Status = 200,
            });
        }

        return list;
    }

    public static string NewDatabase(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-audit-bench-" + name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "charter.db");
    }

    public static AuditLog Open(string db) => new(new SqliteAuditStore(db), new AuditOptions { DatabasePath = db, Origin = "bench.charter/audit" });

    /// <summary>Builds a log of <paramref name="size"/> events in batches of 10,000, checkpointing every 100,000.</summary>
    public static async Task<AuditLog> BuildAsync(string db, int size)
    {
        var log = Open(db);
        for (var i = 0; i < size; i += 10_000)
        {
            await log.AppendAsync(Events(Math.Min(10_000, size - i), i));
            if ((i + 10_000) % 100_000 == 0 || i + 10_000 >= size)
            {
                await log.CheckpointAsync();
            }
        }

        return log;
    }

    public static void Delete(string db)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(db)!, recursive: true);
    }
}
