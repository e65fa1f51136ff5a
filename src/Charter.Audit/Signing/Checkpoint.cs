// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Audit.Signing;

/// <summary>A C2SP tlog checkpoint body: origin, tree size and root hash, one per line.</summary>
/// <remarks>See https://github.com/C2SP/C2SP/blob/main/tlog-checkpoint.md.</remarks>
public sealed record Checkpoint(string Origin, long Size, byte[] Root)
{
    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public string ToNoteText() => string.Create(CultureInfo.InvariantCulture, $"{Origin}\n{Size}\n{Convert.ToBase64String(Root)}\n");

    /// <summary>Parses a checkpoint note text (extension lines after the root are allowed and ignored).</summary>
    public static Checkpoint? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || lines[1] != size.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == 32 ? new Checkpoint(lines[0], size, root) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
