// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Json;

/// <summary>
/// The one timestamp text Charter stores and hashes: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC, which sorts as text.
/// Written by hand: the general custom-format path of <see cref="DateTime"/> was a visible share of integrating a batch
/// (request records and audit leaves each format one or two per request).
/// </summary>
public static class UtcTimestamp
{
    /// <summary>Length of the text.</summary>
    public const int Length = 24;

    /// <summary>Returns <paramref name="value"/> as text.</summary>
    public static string Format(DateTimeOffset value) => string.Create(Length, value, static (dest, v) => Format(v, dest));

    /// <summary>Writes <paramref name="value"/> into the first <see cref="Length"/> characters of <paramref name="destination"/>.</summary>
    public static void Format(DateTimeOffset value, Span<char> destination)
    {
        var t = value.UtcDateTime;
        Digits(destination, 0, t.Year, 4);
        destination[4] = '-';
        Digits(destination, 5, t.Month, 2);
        destination[7] = '-';
        Digits(destination, 8, t.Day, 2);
        destination[10] = 'T';
        Digits(destination, 11, t.Hour, 2);
        destination[13] = ':';
        Digits(destination, 14, t.Minute, 2);
        destination[16] = ':';
        Digits(destination, 17, t.Second, 2);
        destination[19] = '.';
        Digits(destination, 20, t.Millisecond, 3);
        destination[23] = 'Z';
    }

    private static void Digits(Span<char> d, int at, int value, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            d[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
