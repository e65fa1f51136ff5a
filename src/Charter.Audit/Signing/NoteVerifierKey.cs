// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Charter.Audit.Signing;

/// <summary>An Ed25519 note verifier key in the C2SP signed-note form: <c>name+hex(key id)+base64(0x01‖public key)</c>.</summary>
public sealed class NoteVerifierKey
{
    /// <summary>The signed-note algorithm byte for Ed25519.</summary>
    public const byte Ed25519Type = 0x01;

    private readonly PublicKey _publicKey;

    private NoteVerifierKey(string name, byte[] publicKey)
    {
        Name = name;
        PublicKeyBytes = publicKey;
        KeyId = ComputeKeyId(name, publicKey);
        _publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey);
        Text = string.Create(CultureInfo.InvariantCulture, $"{name}+{KeyId:x8}+{Convert.ToBase64String([Ed25519Type, .. publicKey])}");
    }

    /// <summary>Key name (the log origin).</summary>
    public string Name { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public byte[] PublicKeyBytes { get; }

    /// <summary>First 4 bytes of SHA-256(name‖0x0A‖0x01‖public key), big-endian.</summary>
    public uint KeyId { get; }

    /// <summary>The vkey string.</summary>
    public string Text { get; }

    /// <summary>Builds a verifier key from a name and raw public key.</summary>
    public static NoteVerifierKey Create(string name, byte[] publicKey)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("A key name must be non-empty without spaces or '+'.", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key has 32 bytes.", nameof(publicKey));
        }

        return new NoteVerifierKey(name, publicKey);
    }

    /// <summary>Parses a vkey string; null when malformed or when its key id does not match.</summary>
    public static NoteVerifierKey? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3 || !IsValidName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (blob.Length != 33 || blob[0] != Ed25519Type)
        {
            return null;
        }

        var key = new NoteVerifierKey(parts[0], blob[1..]);
        return key.KeyId == id ? key : null;
    }

    /// <summary>Checks an Ed25519 signature over <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);

    /// <summary>Computes the signed-note key id for an Ed25519 key.</summary>
    public static uint ComputeKeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = Ed25519Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        var hash = SHA256.HashData(input);
        return (uint)((hash[0] << 24) | (hash[1] << 16) | (hash[2] << 8) | hash[3]);
    }

    internal static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c == '+' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
