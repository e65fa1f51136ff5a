// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Audit.Signing;

/// <summary>Files in the audit key directory: the private key, the trusted public keys and the last-seen checkpoint.</summary>
/// <remarks>
/// <c>signing.key</c> (mode 0600) holds the current private key; <c>trusted.vkeys</c> lists every public key ever used
/// (append-only), so verification does not have to trust the keys table in the database it checks;
/// <c>witness.checkpoint</c> holds the newest signed checkpoint, so a database restored from an older copy is caught.
/// Keep the directory outside the database's backups, ideally on another volume.
/// </remarks>
public static class AuditKeyFiles
{
    public const string SigningKeyFile = "signing.key";
    public const string TrustedKeysFile = "trusted.vkeys";
    public const string WitnessFile = "witness.checkpoint";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The default key directory for a database file: <c>audit-keys</c> beside it.</summary>
    public static string DefaultDirectoryFor(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", "audit-keys");
    }

    /// <summary>Public keys listed in <c>trusted.vkeys</c> (empty when the file is absent).</summary>
    public static List<NoteVerifierKey> ReadTrustedKeys(string directory)
    {
        var keys = new List<NoteVerifierKey>();
        var path = Path.Combine(directory, TrustedKeysFile);
        if (!File.Exists(path))
        {
            return keys;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            if (NoteVerifierKey.TryParse(line) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>Adds a public key to <c>trusted.vkeys</c> unless already there.</summary>
    public static void AddTrustedKey(string directory, NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var k in ReadTrustedKeys(directory))
        {
            if (k.Text == key.Text)
            {
                return;
            }
        }

        File.AppendAllText(Path.Combine(directory, TrustedKeysFile), key.Text + "\n", Encoding.UTF8);
    }

    /// <summary>The last signed checkpoint written by the log, or null.</summary>
    public static string? ReadWitness(string directory)
    {
        var path = Path.Combine(directory, WitnessFile);
        return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
    }

    /// <summary>Replaces the witness atomically (write to a temporary file, then rename).</summary>
    public static void WriteWitness(string directory, string note)
    {
        var path = Path.Combine(directory, WitnessFile);
        var temp = path + ".tmp";
        File.WriteAllText(temp, note, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes a new file readable only by its owner (mode 0600 on Unix), failing if it exists.</summary>
    internal static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        var bytes = new UTF8Encoding(false).GetBytes(content);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Narrows an existing key file to mode 0600 if it was readable by others.</summary>
    internal static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
