// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Charter.Audit.Hashing;

namespace Charter.Keys;

/// <summary>Generates secrets and ids and hashes presented keys.</summary>
public static class KeySecrets
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Creates a new secret: <paramref name="prefix"/> followed by 40 base62 characters (238 bits).</summary>
    public static string NewSecret(string prefix = "ck-") => prefix + RandomNumberGenerator.GetString(Alphabet, 40);

    /// <summary>Creates a public id such as <c>key_3f9a…</c>.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>SHA-256 of the secret's UTF-8 bytes.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Hashes a presented secret into <paramref name="destination"/> without allocating.</summary>
    public static void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        if (max > 512)
        {
            ThreadSha256.Hash(Encoding.UTF8.GetBytes(secret.ToString()), destination);
            return;
        }

        Span<byte> utf8 = stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(secret, utf8);
        ThreadSha256.Hash(utf8[..n], destination);
    }
}
