// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Charter.Audit.Json;

/// <summary>Writes RFC 8785 (JCS) canonical JSON: no whitespace, minimal escaping, ECMAScript numbers.</summary>
/// <remarks>
/// The writer does not sort: callers write object members in UTF-16 code unit order
/// (<see cref="string.CompareOrdinal(string, string)"/>). <see cref="CanonicalJson"/> does that for arbitrary JSON;
/// <see cref="AuditEventSerializer"/> uses a member order sorted once at start-up.
/// The buffer is reused across <see cref="Reset"/> calls, so a writer per integrating thread allocates nothing per event.
/// </remarks>
internal sealed class CanonicalJsonWriter
{
    private const int MaxDepth = 64;

    // Printable ASCII that canonical JSON writes as it is: everything from ' ' to '~' except '"' and '\\'.
    private static readonly SearchValues<char> s_plainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly bool[] _needComma = new bool[MaxDepth + 1];
    private byte[] _buffer;
    private int _length;
    private int _depth;
    private bool _afterName;

    public CanonicalJsonWriter(int initialCapacity = 512)
    {
        _buffer = new byte[initialCapacity];
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Clears the output, keeping the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _depth = 0;
        _afterName = false;
        _needComma[0] = false;
    }

    /// <summary>The bytes written so far; valid until the next write or <see cref="Reset"/> (the buffer may be replaced as it grows).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>The buffer's size.</summary>
    public int Capacity => _buffer.Length;

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Starts another top-level value right after what is written, with no separator: documents back to back in one
    /// buffer (a batch of audit leaves), each a slice of <see cref="WrittenMemory"/>.</summary>
    public void BeginDocument()
    {
        _depth = 0;
        _afterName = false;
        _needComma[0] = false;
    }

    public void WriteStartObject()
    {
        BeginValue();
        WriteByte((byte)'{');
        Push();
    }

    public void WriteEndObject()
    {
        _depth--;
        WriteByte((byte)'}');
    }

    public void WriteStartArray()
    {
        BeginValue();
        WriteByte((byte)'[');
        Push();
    }

    public void WriteEndArray()
    {
        _depth--;
        WriteByte((byte)']');
    }

    public void WritePropertyName(string name)
    {
        if (_needComma[_depth])
        {
            WriteByte((byte)',');
        }

        _needComma[_depth] = true;
        WriteQuoted(name);
        WriteByte((byte)':');
        _afterName = true;
    }

    /// <summary>Writes a member name given as its canonical text, quotes and colon included (<c>"name":</c>, UTF-8).</summary>
    /// <remarks>For names fixed at start-up (<see cref="EncodeName"/>): no escaping, no transcoding per write.</remarks>
    public void WriteEncodedPropertyName(ReadOnlySpan<byte> encoded)
    {
        EnsureCapacity(encoded.Length + 1);
        if (_needComma[_depth])
        {
            _buffer[_length++] = (byte)',';
        }

        _needComma[_depth] = true;
        encoded.CopyTo(_buffer.AsSpan(_length));
        _length += encoded.Length;
        _afterName = true;
    }

    /// <summary>The canonical text of a member name for <see cref="WriteEncodedPropertyName"/>: <c>"name":</c> as UTF-8.</summary>
    public static byte[] EncodeName(string name)
    {
        var writer = new CanonicalJsonWriter(name.Length + 8);
        writer.WriteQuoted(name);
        writer.WriteByte((byte)':');
        return writer.ToArray();
    }

    /// <summary>Writes a timestamp as a string in Charter's one stored form (<see cref="UtcTimestamp"/>).</summary>
    public void WriteTimestampValue(DateTimeOffset value)
    {
        BeginValue();
        EnsureCapacity(UtcTimestamp.Length + 2);
        _buffer[_length++] = (byte)'"';
        UtcTimestamp.FormatUtf8(value, _buffer.AsSpan(_length));
        _length += UtcTimestamp.Length;
        _buffer[_length++] = (byte)'"';
    }

    public void WriteStringValue(string value)
    {
        BeginValue();
        WriteQuoted(value);
    }

    public void WriteBooleanValue(bool value)
    {
        BeginValue();
        WriteAscii(value ? "true" : "false");
    }

    public void WriteNullValue()
    {
        BeginValue();
        WriteAscii("null");
    }

    public void WriteNumberValue(long value)
    {
        BeginValue();
        EnsureCapacity(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Writes a number as ECMAScript's Number.prototype.toString would (RFC 8785 §3.2.2.3).</summary>
    public void WriteNumberValue(double value)
    {
        BeginValue();
        WriteAscii(FormatNumber(value));
    }

    internal static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and Infinity are not valid JSON numbers.");
        }

        if (value == 0)
        {
            return "0";
        }

        // .NET Core 3.0+ "R" yields the shortest round-trip digits; only the layout differs from ECMAScript.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var body = negative ? text.AsSpan(1) : text.AsSpan();
        var exponent = 0;
        var e = body.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var digits = new StringBuilder(24);
        var point = body.IndexOf('.');
        var pointPos = point < 0 ? body.Length : point;
        foreach (var c in body)
        {
            if (c != '.')
            {
                digits.Append(c);
            }
        }

        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits.Remove(0, leading);
        pointPos -= leading;
        while (digits.Length > 1 && digits[^1] == '0')
        {
            digits.Length--;
        }

        // value = 0.d1d2...dk × 10^n (ECMAScript's n), k = digit count.
        var k = digits.Length;
        var n = pointPos + exponent;
        var s = digits.ToString();
        var result = new StringBuilder(32);
        if (negative)
        {
            result.Append('-');
        }

        if (k <= n && n <= 21)
        {
            result.Append(s).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(s, 0, n).Append('.').Append(s, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(s);
        }
        else
        {
            result.Append(s[0]);
            if (k > 1)
            {
                result.Append('.').Append(s, 1, k - 1);
            }

            var e10 = n - 1;
            result.Append('e').Append(e10 < 0 ? '-' : '+').Append(Math.Abs(e10).ToString(CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    private void Push()
    {
        if (_depth >= MaxDepth)
        {
            throw new InvalidOperationException("JSON nesting too deep.");
        }

        _depth++;
        _needComma[_depth] = false;
    }

    private void BeginValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_needComma[_depth])
        {
            WriteByte((byte)',');
        }

        _needComma[_depth] = true;
    }

    private void WriteQuoted(string value)
    {
        // Worst case: every char becomes \u00XX (6 bytes); non-ASCII at most 3 UTF-8 bytes per UTF-16 unit.
        EnsureCapacity((value.Length * 6) + 2);
        var span = _buffer.AsSpan();
        span[_length++] = (byte)'"';

        // Most values (ids, hashes, names) are printable ASCII without quotes or backslashes: narrow that prefix in one
        // vectorised step, then go character by character from the first one that needs care.
        var plain = value.AsSpan().IndexOfAnyExcept(s_plainAscii);
        if (plain < 0)
        {
            plain = value.Length;
        }

        Ascii.FromUtf16(value.AsSpan(0, plain), span[_length..], out var narrowed);
        _length += narrowed;
        for (var i = plain; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80)
            {
                switch (c)
                {
                    case '"': span[_length++] = (byte)'\\'; span[_length++] = (byte)'"'; break;
                    case '\\': span[_length++] = (byte)'\\'; span[_length++] = (byte)'\\'; break;
                    case '\b': span[_length++] = (byte)'\\'; span[_length++] = (byte)'b'; break;
                    case '\f': span[_length++] = (byte)'\\'; span[_length++] = (byte)'f'; break;
                    case '\n': span[_length++] = (byte)'\\'; span[_length++] = (byte)'n'; break;
                    case '\r': span[_length++] = (byte)'\\'; span[_length++] = (byte)'r'; break;
                    case '\t': span[_length++] = (byte)'\\'; span[_length++] = (byte)'t'; break;
                    default:
                        if (c < 0x20)
                        {
                            span[_length++] = (byte)'\\';
                            span[_length++] = (byte)'u';
                            span[_length++] = (byte)'0';
                            span[_length++] = (byte)'0';
                            span[_length++] = (byte)"0123456789abcdef"[c >> 4];
                            span[_length++] = (byte)"0123456789abcdef"[c & 0xF];
                        }
                        else
                        {
                            span[_length++] = (byte)c;
                        }

                        break;
                }

                continue;
            }

            // Non-ASCII: copy the run as UTF-8; lone surrogates are not valid I-JSON.
            var start = i;
            while (i + 1 < value.Length && value[i + 1] >= 0x80)
            {
                i++;
            }

            var status = Utf8.FromUtf16(value.AsSpan(start, i - start + 1), span[_length..], out _, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new ArgumentException("String contains an unpaired surrogate.", nameof(value));
            }

            _length += written;
        }

        span[_length++] = (byte)'"';
    }

    private void WriteAscii(string text)
    {
        EnsureCapacity(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            _buffer[_length++] = (byte)text[i];
        }
    }

    private void WriteByte(byte b)
    {
        EnsureCapacity(1);
        _buffer[_length++] = b;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
