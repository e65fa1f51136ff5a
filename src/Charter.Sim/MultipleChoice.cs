// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Recognises multiple-choice questions and picks the simulated model's answer.</summary>
/// <remarks>
/// A prompt is a multiple-choice question when it lists at least two options labelled in order from A,
/// one per line, as <c>A)</c>, <c>(A)</c>, <c>A.</c> or <c>A:</c>, or inline as <c>(A) … (B) …</c>.
/// </remarks>
internal static class MultipleChoice
{
    /// <summary>Options A to J are recognised.</summary>
    public const int MaxOptions = 10;

    /// <summary>Returns the number of options (2..10) of the question, or 0 when it is not multiple choice.</summary>
    public static int CountOptions(ReadOnlySpan<char> text)
    {
        var best = 0;
        var current = 0;
        var rest = text;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf('\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? default : rest[(newline + 1)..];
            var letter = LineLabel(line);
            if (letter == 0)
            {
                current = 1;
            }
            else if (letter > 0 && letter == current)
            {
                current++;
            }
            else
            {
                continue;
            }

            if (current > best)
            {
                best = current;
            }
        }

        if (best < 2)
        {
            best = InlineCount(text);
        }

        return best >= 2 ? best : 0;
    }

    /// <summary>0-based letter of a line that starts with an option label, or -1.</summary>
    private static int LineLabel(ReadOnlySpan<char> line)
    {
        line = line.TrimStart();
        if (line.Length < 2)
        {
            return -1;
        }

        int letter;
        int after;
        if (line[0] == '(' && line.Length >= 3 && line[2] == ')')
        {
            letter = line[1] - 'A';
            after = 3;
        }
        else if (line[1] is ')' or '.' or ':')
        {
            letter = line[0] - 'A';
            after = 2;
        }
        else
        {
            return -1;
        }

        if ((uint)letter >= MaxOptions)
        {
            return -1;
        }

        return after >= line.Length || char.IsWhiteSpace(line[after]) ? letter : -1;
    }

    private static int InlineCount(ReadOnlySpan<char> text)
    {
        Span<char> label = ['(', 'A', ')'];
        var count = 0;
        var rest = text;
        while (count < MaxOptions)
        {
            label[1] = (char)('A' + count);
            var at = rest.IndexOf(label, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            rest = rest[(at + 3)..];
            count++;
        }

        return count;
    }
}
