// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Audit.Signing;

/// <summary>The C2SP signed-note format: text, a blank line, then one line per signature.</summary>
/// <remarks>See https://github.com/C2SP/C2SP/blob/main/signed-note.md. Signatures cover the text bytes (ending in a newline).</remarks>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    private const string Dash = "\u2014 ";

    /// <summary>Renders the note.</summary>
    public string Format()
    {
        var sb = new StringBuilder(Text.Length + 128);
        sb.Append(Text).Append('\n');
        foreach (var s in Signatures)
        {
            var blob = new byte[4 + s.Signature.Length];
            blob[0] = (byte)(s.KeyId >> 24);
            blob[1] = (byte)(s.KeyId >> 16);
            blob[2] = (byte)(s.KeyId >> 8);
            blob[3] = (byte)s.KeyId;
            s.Signature.CopyTo(blob, 4);
            sb.Append(Dash).Append(s.Name).Append(' ').Append(Convert.ToBase64String(blob)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Parses a signed note; null when it is malformed.</summary>
    public static SignedNote? TryParse(string? note)
    {
        if (note is null || !note.EndsWith('\n'))
        {
            return null;
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return null;
        }

        var text = note[..(split + 1)];
        var lines = note[(split + 2)..^1].Split('\n');
        var signatures = new List<NoteSignature>();
        foreach (var line in lines)
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal))
            {
                return null;
            }

            var rest = line[Dash.Length..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                return null;
            }

            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(rest[(space + 1)..]);
            }
            catch (FormatException)
            {
                return null;
            }

            if (blob.Length < 5)
            {
                return null;
            }

            var id = (uint)((blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3]);
            signatures.Add(new NoteSignature(rest[..space], id, blob[4..]));
        }

        return signatures.Count == 0 ? null : new SignedNote(text, signatures);
    }

    /// <summary>The first key among <paramref name="keys"/> with a valid signature on this note, or null.</summary>
    public NoteVerifierKey? FindValidSigner(IEnumerable<NoteVerifierKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var message = Encoding.UTF8.GetBytes(Text);
        foreach (var key in keys)
        {
            foreach (var s in Signatures)
            {
                if (s.KeyId == key.KeyId && s.Name == key.Name && key.Verify(message, s.Signature))
                {
                    return key;
                }
            }
        }

        return null;
    }
}
