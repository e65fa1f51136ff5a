// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;

namespace Charter.Audit.Hashing;

/// <summary>SHA-256 for the per-request hashes: OpenSSL's digest called directly where it can be, else one context per thread.</summary>
/// <remarks>
/// On Linux with libcrypto 3 the hash goes through <see cref="OpenSslSha256"/> (its remarks say why). Elsewhere: the
/// one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> creates and frees an OpenSSL context per call,
/// which costs more than hashing the short inputs of the request path and the audit log (a presented key, a leaf, two
/// child hashes): ~0.8 against ~0.6 µs for 120 bytes here. Used for every per-request hash: the key, the messages,
/// audit leaves and nodes. Lives in Charter.Audit, the lowest project all of them reference.
/// </remarks>
public static class ThreadSha256
{
    [ThreadStatic]
    private static IncrementalHash? t_sha;

    /// <summary>Writes SHA-256(<paramref name="data"/>) into <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination) => Hash(default, data, destination);

    /// <summary>Writes SHA-256(<paramref name="prefix"/> ‖ <paramref name="data"/>) into <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (OpenSslSha256.IsAvailable)
        {
            OpenSslSha256.Hash(prefix, data, destination);
            return;
        }

        HashIncremental(prefix, data, destination);
    }

    /// <summary>The portable path: <see cref="IncrementalHash"/>, one per thread.</summary>
    internal static void HashIncremental(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var sha = t_sha ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            if (!prefix.IsEmpty)
            {
                sha.AppendData(prefix);
            }

            sha.AppendData(data);
            sha.GetHashAndReset(destination);
        }
        catch
        {
            // Never leave half a message in the context for the next hash on this thread.
            t_sha = null;
            sha.Dispose();
            throw;
        }
    }
}
