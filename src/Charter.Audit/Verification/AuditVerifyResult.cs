// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Verification;

/// <summary>Outcome of <see cref="AuditVerifier"/>: success with counts, or the first failing leaf index and why.</summary>
public sealed record AuditVerifyResult(bool Ok, long Entries, int Checkpoints, long? FailingIndex, string? Problem, IReadOnlyList<string> Warnings)
{
    public static AuditVerifyResult Failure(long index, string problem, long entries, int checkpoints, IReadOnlyList<string> warnings) =>
        new(false, entries, checkpoints, index, problem, warnings);
}
