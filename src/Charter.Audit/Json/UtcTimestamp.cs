// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Numerics;

namespace Charter.Audit.Json;

/// <summary>
/// The one timestamp text Charter stores and hashes: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC, which sorts as text.
/// Written by hand: the general custom-format path of <see cref="DateTime"/> was a visible share of integrating a batch
/// (request records and audit leaves each format one or two per request). The journal writes the same form with every
/// tick (<see cref="FormatTicksUtf8"/>).
/// </summary>
public static class UtcTimestamp
{
    /// <summary>Length of the text.</summary>
    public const int Length = 24;

    /// <summary>Length of the text with every tick (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).</summary>
    public const int TicksLength = 28;

    /// <summary>Returns <paramref name="value"/> as text.</summary>
    public static string Format(DateTimeOffset value) => string.Create(Length, value, static (dest, v) => Format(v, dest));

    /// <summary>Writes <paramref name="value"/> into the first <see cref="Length"/> characters of <paramref name="destination"/>.</summary>
    public static void Format(DateTimeOffset value, Span<char> destination)
    {
        var t = value.UtcDateTime;
        Write(destination, t, t.Millisecond, 3);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        Write(destination, t, t.Millisecond, 3);
    }

    /// <summary>Writes <paramref name="value"/> with all seven fraction digits, as UTF-8, into the first
    /// <see cref="TicksLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void FormatTicksUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        Write(destination, t, (int)(t.Ticks % TimeSpan.TicksPerSecond), 7);
    }

    private static void Write<T>(Span<T> d, DateTime t, int fraction, int fractionDigits)
        where T : IBinaryInteger<T>
    {
        Digits(d, 0, t.Year, 4);
        d[4] = T.CreateTruncating('-');
        Digits(d, 5, t.Month, 2);
        d[7] = T.CreateTruncating('-');
        Digits(d, 8, t.Day, 2);
        d[10] = T.CreateTruncating('T');
        Digits(d, 11, t.Hour, 2);
        d[13] = T.CreateTruncating(':');
        Digits(d, 14, t.Minute, 2);
        d[16] = T.CreateTruncating(':');
        Digits(d, 17, t.Second, 2);
        d[19] = T.CreateTruncating('.');
        Digits(d, 20, fraction, fractionDigits);
        d[20 + fractionDigits] = T.CreateTruncating('Z');
    }

    private static void Digits<T>(Span<T> d, int at, int value, int width)
        where T : IBinaryInteger<T>
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            d[i] = T.CreateTruncating('0' + (value % 10));
            value /= 10;
        }
    }
}
