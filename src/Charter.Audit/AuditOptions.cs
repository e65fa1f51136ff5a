// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

/// <summary>Settings of the audit log (configuration section <c>Charter:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>Configuration section bound by AddCharterAudit.</summary>
    public const string SectionName = "Charter:Audit";

    /// <summary>Log origin: first line of every checkpoint and the signing key's name. Default <c>charter.local/audit</c>.</summary>
    public string Origin { get; set; } = "charter.local/audit";

    /// <summary>SQLite database file. Default <c>charter.db</c>.</summary>
    public string DatabasePath { get; set; } = "charter.db";

    /// <summary>Directory of the signing key, trusted keys and witness. Default: <c>audit-keys</c> beside the database.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>How often the checkpointer signs the tree when it has grown. Default 1 second.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether each checkpoint is also written to <c>witness.checkpoint</c> in the key directory. Default true.</summary>
    public bool WriteWitness { get; set; } = true;

    /// <summary>
    /// Whether instances sharing the database elect one sequencer that alone integrates and signs (the others queue their
    /// events). Default: on for PostgreSQL, off for SQLite (where every process appends under the file lock).
    /// </summary>
    public bool? ElectSequencer { get; set; }

    /// <summary>How often an instance that is not the sequencer tries to become it. Default 1 second.</summary>
    public TimeSpan ElectionInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the sequencer looks at the queue when it found it empty. Default 50 ms.</summary>
    public TimeSpan SequencerPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The key directory actually used.</summary>
    public string ResolveKeyDirectory() => KeyDirectory ?? Signing.AuditKeyFiles.DefaultDirectoryFor(DatabasePath);
}
