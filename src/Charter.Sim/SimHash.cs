// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using System.Text;

namespace Charter.Sim;

/// <summary>Small, stable, allocation-free hashing used to derive deterministic output.</summary>
/// <remarks>
/// FNV-1a (64-bit) over bytes, finalised with the SplitMix64 mixer. The values are part of the
/// simulator's public contract (<see cref="Simulator.ExpectedChoice"/>), so never change them.
/// </remarks>
internal static class SimHash
{
    public const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong hash, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            hash = (hash ^ bytes[i]) * Prime;
        }

        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)value) * Prime;
            value >>= 8;
        }

        return hash;
    }

    /// <summary>SplitMix64 finaliser: spreads every input bit over the output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Mixes two values into one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b));

    /// <summary>Maps a hash to a double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Unit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    /// <summary>Hashes a string's UTF-8 bytes.</summary>
    public static ulong OfString(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[512];
            var n = Encoding.UTF8.GetBytes(value, buffer);
            return Add(Offset, buffer[..n]);
        }

        return Add(Offset, Encoding.UTF8.GetBytes(value));
    }
}
