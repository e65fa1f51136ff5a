// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Hashing;
using System.Text;

namespace Charter.Records;

/// <summary>The strings of journal frames read back, shared between events: a key's, team's, model's or policy version's
/// string is decoded once and then handed to every event that carries the same bytes.</summary>
/// <remarks>
/// The integrator reads every event back from the journal (<see cref="Journal.Read"/>); without this, each of them would
/// bring its own copy of a dozen strings, all alive until its batch is done and copied by any GC that falls within it.
/// Two-way set-associative (a set per hash, the value used last kept in its first way), so that two strings that share a
/// set, a key's id and a team's say, do not evict each other on every event; not thread-safe: one reader, the integrator.
/// </remarks>
public sealed class JournalStringCache
{
    private const int Sets = 256; // a power of two
    private const int MaxLength = 64; // longer values (reasons, details) are rare and not kept
    private readonly Entry[] _entries = new Entry[Sets * 2];

    /// <summary>The string of <paramref name="bytes"/>: UTF-8, or with <paramref name="hex"/> their lowercase hex digits.</summary>
    public string Get(ReadOnlySpan<byte> bytes, bool hex)
    {
        if (bytes.Length > MaxLength)
        {
            return Decode(bytes, hex);
        }

        var hash = XxHash3.HashToUInt64(bytes, hex ? 1 : 0);
        var set = (int)(hash & (Sets - 1)) * 2;
        ref var first = ref _entries[set];
        if (first.Matches(bytes, hex))
        {
            return first.Value;
        }

        ref var second = ref _entries[set + 1];
        if (second.Matches(bytes, hex))
        {
            (first, second) = (second, first);
            return first.Value;
        }

        var value = Decode(bytes, hex);
        second = first;
        first = new Entry(bytes.ToArray(), hex, value);
        return value;
    }

    /// <summary>The string of <paramref name="bytes"/> without the cache.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, bool hex) => hex ? Convert.ToHexStringLower(bytes) : Encoding.UTF8.GetString(bytes);

    private readonly record struct Entry(byte[] Bytes, bool Hex, string Value)
    {
        public bool Matches(ReadOnlySpan<byte> bytes, bool hex) => Value is not null && Hex == hex && bytes.SequenceEqual(Bytes);
    }
}
