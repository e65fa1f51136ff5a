// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using NSec.Cryptography;

namespace Charter.Audit.Signing;

/// <summary>Signs checkpoints with the log's Ed25519 key, kept in a file readable only by its owner.</summary>
/// <remarks>
/// The key file uses the signed-note private key form <c>PRIVATE+KEY+name+hex(key id)+base64(0x01‖seed)</c>,
/// the same as golang.org/x/mod/sumdb/note, so standard tools can read it.
/// </remarks>
public sealed class AuditSigner : IDisposable
{
    private const string Prefix = "PRIVATE+KEY+";
    private readonly Key _key;

    private AuditSigner(Key key, string name)
    {
        _key = key;
        VerifierKey = NoteVerifierKey.Create(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public half, as a note verifier key.</summary>
    public NoteVerifierKey VerifierKey { get; }

    /// <summary>Loads <c>signing.key</c> from <paramref name="keyDirectory"/>, generating it at first use.</summary>
    public static AuditSigner LoadOrCreate(string keyDirectory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyDirectory);
        Directory.CreateDirectory(keyDirectory);
        var path = Path.Combine(keyDirectory, AuditKeyFiles.SigningKeyFile);
        if (!File.Exists(path))
        {
            try
            {
                Generate(path, name);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; load theirs.
            }
        }

        AuditKeyFiles.RestrictToOwner(path);
        var signer = Load(path);
        AuditKeyFiles.AddTrustedKey(keyDirectory, signer.VerifierKey);
        return signer;
    }

    /// <summary>Replaces the signing key with a new one; the old public key stays in <c>trusted.vkeys</c>.</summary>
    /// <remarks>The old private key is deleted: nothing should sign with it again.</remarks>
    public static AuditSigner Rotate(string keyDirectory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyDirectory);
        Directory.CreateDirectory(keyDirectory);
        var path = Path.Combine(keyDirectory, AuditKeyFiles.SigningKeyFile);
        var next = path + ".new";
        if (File.Exists(next))
        {
            File.Delete(next);
        }

        Generate(next, name);
        var signer = Load(next);
        AuditKeyFiles.AddTrustedKey(keyDirectory, signer.VerifierKey);
        File.Move(next, path, overwrite: true);
        return signer;
    }

    /// <summary>Signs a note text (which must end in a newline) and returns the whole signed note.</summary>
    public string Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("Note text must end with a newline.", nameof(text));
        }

        var signature = SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(text));
        return new SignedNote(text, [new NoteSignature(VerifierKey.Name, VerifierKey.KeyId, signature)]).Format();
    }

    public void Dispose() => _key.Dispose();

    private static void Generate(string path, string name)
    {
        if (!NoteVerifierKey.IsValidName(name))
        {
            throw new ArgumentException("A key name must be non-empty without spaces or '+'.", nameof(name));
        }

        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        var id = NoteVerifierKey.ComputeKeyId(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        var text = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{name}+{id:x8}+{Convert.ToBase64String([NoteVerifierKey.Ed25519Type, .. seed])}\n");
        AuditKeyFiles.WriteOwnerOnly(path, text);
    }

    private static AuditSigner Load(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var parts = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..].Split('+', 3) : [];
        if (parts.Length != 3)
        {
            throw new InvalidDataException($"{path} is not a signed-note private key.");
        }

        var blob = Convert.FromBase64String(parts[2]);
        if (blob.Length != 33 || blob[0] != NoteVerifierKey.Ed25519Type)
        {
            throw new InvalidDataException($"{path} does not hold an Ed25519 key.");
        }

        var key = Key.Import(SignatureAlgorithm.Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey);
        return new AuditSigner(key, parts[0]);
    }
}
