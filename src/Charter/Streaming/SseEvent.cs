// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Streaming;

/// <summary>Reads the fields of one whole server-sent event (as <see cref="SseRelay.FindEventEnd"/> delimits it).</summary>
internal static class SseEvent
{
    /// <summary>Returns the event's data: its <c>data:</c> lines joined by newlines (one line, the usual case, is returned in
    /// place; several are joined into <paramref name="joined"/>, made on first need), and its <c>event:</c> name. LF or CRLF
    /// line ends; one space after the colon is dropped; other fields and comments are skipped.</summary>
    public static ReadOnlySpan<byte> Fields(ReadOnlySpan<byte> ev, ref ArrayBufferWriter<byte>? joined, out ReadOnlySpan<byte> name)
    {
        name = default;
        ReadOnlySpan<byte> payload = default;
        var dataLines = 0;
        var rest = ev;
        while (!rest.IsEmpty)
        {
            var nl = rest.IndexOf((byte)'\n');
            var line = nl < 0 ? rest : rest[..nl];
            rest = nl < 0 ? default : rest[(nl + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.StartsWith("event:"u8))
            {
                name = Value(line[6..]);
            }
            else if (line.StartsWith("data:"u8))
            {
                var value = Value(line[5..]);
                if (dataLines == 0)
                {
                    payload = value;
                }
                else
                {
                    joined ??= new ArrayBufferWriter<byte>(256);
                    if (dataLines == 1)
                    {
                        joined.ResetWrittenCount();
                        joined.Write(payload);
                    }

                    joined.Write("\n"u8);
                    joined.Write(value);
                }

                dataLines++;
            }
        }

        return dataLines > 1 ? joined!.WrittenSpan : payload;
    }

    private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> value) => !value.IsEmpty && value[0] == (byte)' ' ? value[1..] : value;
}
