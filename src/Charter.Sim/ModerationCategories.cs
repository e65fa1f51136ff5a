// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Sim;

/// <summary>The 13 categories of OpenAI's moderation answers, and the marker word that flags each one in the simulator.</summary>
/// <remarks>
/// A marker flags its category when it appears as a whole word (ASCII case-insensitive; a word is a run of ASCII letters and digits
/// and non-ASCII bytes, so <c>skills</c> and <c>killé</c> are not <c>kill</c>). Each marker flags only its own category. No word of
/// the simulator's answers (<see cref="SimText"/>) is a marker, so moderating a simulated answer never flags it. The markers are
/// part of the simulator's contract (README): tests elsewhere rely on them, so never change them.
/// </remarks>
internal static class ModerationCategories
{
    /// <summary>Number of categories.</summary>
    public const int Count = 13;

    /// <summary>The category's name in the answer (order: the spec's <c>required</c> list).</summary>
    public static ReadOnlySpan<byte> Name(int category) => category switch
    {
        0 => "harassment"u8,
        1 => "harassment/threatening"u8,
        2 => "hate"u8,
        3 => "hate/threatening"u8,
        4 => "illicit"u8,
        5 => "illicit/violent"u8,
        6 => "self-harm"u8,
        7 => "self-harm/intent"u8,
        8 => "self-harm/instructions"u8,
        9 => "sexual"u8,
        10 => "sexual/minors"u8,
        11 => "violence"u8,
        _ => "violence/graphic"u8,
    };

    /// <summary>The word that flags the category.</summary>
    public static ReadOnlySpan<byte> Marker(int category) => category switch
    {
        0 => "idiot"u8,
        1 => "threaten"u8,
        2 => "hate"u8,
        3 => "exterminate"u8,
        4 => "shoplift"u8,
        5 => "bomb"u8,
        6 => "suicide"u8,
        7 => "overdose"u8,
        8 => "noose"u8,
        9 => "nude"u8,
        10 => "underage"u8,
        11 => "kill"u8,
        _ => "gore"u8,
    };

    /// <summary>True for the categories OpenAI's omni models also score images for (the spec allows <c>"image"</c> in their
    /// <c>category_applied_input_types</c>): self-harm and its two sub-categories, sexual, violence and violence/graphic.</summary>
    public static bool AppliesToImages(int category) => category is 6 or 7 or 8 or 9 or 11 or 12;

    /// <summary>The categories whose marker <paramref name="utf8"/> contains, as bits (1 &lt;&lt; category).</summary>
    public static int Scan(ReadOnlySpan<byte> utf8)
    {
        var found = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            if (!IsWordByte(utf8[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < utf8.Length && IsWordByte(utf8[i]))
            {
                i++;
            }

            var word = utf8[start..i];
            for (var category = 0; category < Count; category++)
            {
                if (Ascii.EqualsIgnoreCase(word, Marker(category)))
                {
                    found |= 1 << category;
                }
            }
        }

        return found;
    }

    private static bool IsWordByte(byte b) => b >= 0x80 || char.IsAsciiLetterOrDigit((char)b);
}
