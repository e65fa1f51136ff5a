// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Charter.Audit.Json;

namespace Charter.Records;

/// <summary>
/// The compact JSON of a journal event, written straight into the output: one capacity check per member, plain ASCII
/// values narrowed in one vectorised step. <see cref="System.Text.Json.Utf8JsonWriter"/> validated and escaped every
/// property name and transcoded every value through a scratch buffer (two appends a request, on the request path).
/// </summary>
/// <remarks>
/// Escapes only what JSON requires (<c>"</c>, <c>\</c> and control characters); other text goes out as UTF-8, and a
/// lone surrogate becomes U+FFFD. Any JSON reader reads it back (<see cref="JournalEventSerializer.Read"/> uses
/// <see cref="System.Text.Json.JsonDocument"/>).
/// </remarks>
internal ref struct JournalJsonWriter
{
    // Printable ASCII that JSON strings carry as is.
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly IBufferWriter<byte> _output;
    private bool _first;

    public JournalJsonWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _first = true;
    }

    public readonly void StartObject() => WriteByte((byte)'{');

    public readonly void EndObject() => WriteByte((byte)'}');

    /// <summary>Writes <c>"name":"value"</c>.</summary>
    public void String(ReadOnlySpan<byte> name, string value)
    {
        var chars = value.AsSpan();
        if (!chars.ContainsAnyExcept(s_plain))
        {
            var span = Name(name, chars.Length + 2);
            span[0] = (byte)'"';
            Ascii.FromUtf16(chars, span[1..], out _);
            span[chars.Length + 1] = (byte)'"';
            _output.Advance(chars.Length + 2);
            return;
        }

        var max = (chars.Length * 6) + 2; // \uXXXX at worst
        var dest = Name(name, max);
        var n = Escape(chars, dest);
        _output.Advance(n);
    }

    /// <summary>Writes <c>"name":value</c> for an integer.</summary>
    public void Number(ReadOnlySpan<byte> name, long value)
    {
        var span = Name(name, 20);
        Utf8Formatter.TryFormat(value, span, out var n);
        _output.Advance(n);
    }

    /// <summary>Writes <c>"name":value</c> for a finite double, shortest round-trip form.</summary>
    public void Number(ReadOnlySpan<byte> name, double value)
    {
        var span = Name(name, 32);
        value.TryFormat(span, out var n, "R", CultureInfo.InvariantCulture);
        _output.Advance(n);
    }

    /// <summary>Writes <c>"name":true</c>.</summary>
    public void True(ReadOnlySpan<byte> name)
    {
        var span = Name(name, 4);
        "true"u8.CopyTo(span);
        _output.Advance(4);
    }

    /// <summary>Writes <c>"name":"yyyy-MM-ddTHH:mm:ss.fffffffZ"</c> (ISO 8601, UTC, every tick).</summary>
    public void Timestamp(ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        const int Length = UtcTimestamp.TicksLength + 2;
        var span = Name(name, Length);
        span[0] = (byte)'"';
        UtcTimestamp.FormatTicksUtf8(value, span[1..]);
        span[Length - 1] = (byte)'"';
        _output.Advance(Length);
    }

    /// <summary>Writes <c>"name":</c> and then <paramref name="json"/> unchanged (already valid JSON).</summary>
    public void Raw(ReadOnlySpan<byte> name, ReadOnlySpan<byte> json)
    {
        var span = Name(name, json.Length);
        json.CopyTo(span);
        _output.Advance(json.Length);
    }

    // Writes the separator and "name": and returns room for a value of up to valueMax bytes after them.
    private Span<byte> Name(ReadOnlySpan<byte> name, int valueMax)
    {
        var prefix = name.Length + 3 + (_first ? 0 : 1);
        var span = _output.GetSpan(prefix + valueMax);
        var at = 0;
        if (!_first)
        {
            span[at++] = (byte)',';
        }

        _first = false;
        span[at++] = (byte)'"';
        name.CopyTo(span[at..]);
        at += name.Length;
        span[at++] = (byte)'"';
        span[at++] = (byte)':';
        _output.Advance(prefix);
        return span[prefix..];
    }

    private readonly void WriteByte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }

    private static int Escape(ReadOnlySpan<char> chars, Span<byte> dest)
    {
        var at = 0;
        dest[at++] = (byte)'"';
        var i = 0;
        while (i < chars.Length)
        {
            var run = chars[i..].IndexOfAnyExcept(s_plain);
            if (run < 0)
            {
                run = chars.Length - i;
            }

            Ascii.FromUtf16(chars.Slice(i, run), dest[at..], out _);
            at += run;
            i += run;
            if (i == chars.Length)
            {
                break;
            }

            var c = chars[i];
            if (c == '"' || c == '\\')
            {
                dest[at++] = (byte)'\\';
                dest[at++] = (byte)c;
                i++;
            }
            else if (c < 0x20)
            {
                "\\u00"u8.CopyTo(dest[at..]);
                dest[at + 4] = Hex(c >> 4);
                dest[at + 5] = Hex(c & 0xF);
                at += 6;
                i++;
            }
            else
            {
                // A run of other text (non-ASCII, DEL): UTF-8 as is, lone surrogates replaced.
                var end = i + 1;
                while (end < chars.Length && chars[end] >= 0x7F)
                {
                    end++;
                }

                at += Encoding.UTF8.GetBytes(chars[i..end], dest[at..]);
                i = end;
            }
        }

        dest[at++] = (byte)'"';
        return at;
    }

    private static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}
