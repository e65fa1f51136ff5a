// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Storage;

namespace Charter.Tests.Audit;

internal static class AuditTestData
{
    public static readonly DateTimeOffset Start = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    public static List<AuditEvent> Events(int count, int offset = 0)
    {
        string[] teams = ["research", "product", "eval"];
        string[] providers = ["openai", "anthropic", "sim"];
        string[] purposes = ["evaluation", "product-feature", "testing"];
        string[] decisions = ["allow", "allow", "flag", "deny"];
        var list = new List<AuditEvent>(count);
        for (var j = 0; j < count; j++)
        {
            var i = j + offset;
            var ts = Start.AddMinutes(i * 7);
            if (i % 17 == 5)
            {
                list.Add(new AuditEvent
                {
                    Kind = AuditEventKinds.Transition,
                    Ts = ts,
                    Id = $"ev-{i}",
                    EntityType = "key",
                    EntityId = $"key-{i % 5}",
                    Team = teams[i % 3],
                    FromState = "active",
                    ToState = "suspended",
                    Event = "suspend",
                    Actor = "detection",
                    Reason = "extraction pattern",
                    Measures = ["rotate key", "attest purpose"],
                    Deadline = ts.AddDays(14),
                });
                continue;
            }

            var decision = decisions[i % decisions.Length];
            list.Add(new AuditEvent
            {
                Kind = AuditEventKinds.Request,
                Ts = ts,
                Id = $"ev-{i}",
                RequestId = $"req-{i}",
                Key = $"key-{i % 5}",
                Team = teams[i % 3],
                Purpose = purposes[i % 3],
                Provider = providers[(i / 3) % 3],
                Account = "acct-1",
                Model = "gpt-4o",
                Decision = decision,
                Rule = decision == "deny" ? "no-competing-models" : null,
                Code = decision == "deny" ? "charter_policy_denied" : null,
                PolicyVersion = "sha256:abc",
                MessagesSha256 = new string('a', 64),
                Usage = decision == "deny" ? null : new AuditUsage(20 + i, 100 + i),
                Status = decision == "deny" ? 403 : 200,
            });
        }

        return list;
    }

    /// <summary>A log in a fresh database with <paramref name="count"/> events and a checkpoint every <paramref name="checkpointEvery"/> events.</summary>
    public static async Task<AuditLog> CreateLogAsync(TempDirectory dir, int count, int checkpointEvery = 10)
    {
        var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), Options(dir));
        var events = Events(count);
        for (var i = 0; i < count; i += checkpointEvery)
        {
            await log.AppendAsync(events.GetRange(i, Math.Min(checkpointEvery, count - i)));
            await log.CheckpointAsync();
        }

        return log;
    }

    public static AuditOptions Options(TempDirectory dir) => new()
    {
        DatabasePath = dir.File("charter.db"),
        KeyDirectory = dir.File("keys"),
        Origin = "charter.test/audit",
    };
}
