// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.RegularExpressions;

namespace Charter.Eval.Scoring;

/// <summary>Extracts the option letter a model chose from free text.</summary>
/// <remarks>
/// Rules, strongest first (the first that yields a letter among the valid choices wins):
/// 1. <c>\boxed{B}</c>;
/// 2. an explicit marker: "answer is (B)", "Answer: b", "final answer: **C**", "correct option is D" (last one wins);
/// 3. the whole output is one letter, possibly wrapped: "B", "(b).", "**B**", "[C]";
/// 4. a leading option label: "B) Paris", "(B) Paris", "B. Paris", "B: Paris", "B - Paris", "B\nbecause…";
/// 5. a commitment phrase: "I think it's C because…", "I'd go with B", "I choose D";
/// 6. "option B" / "choice B" naming one letter only;
/// 7. exactly one distinct capital letter standing alone ("A" and "I" followed by a lowercase word are words, not options);
/// 8. the output quotes exactly one option's text, when the case has variables named after the letters.
/// Markdown emphasis and backticks are ignored.
/// </remarks>
public static partial class ChoiceExtractor
{
    /// <summary>Returns the chosen letter (upper case) or null when none can be found or the text is ambiguous.</summary>
    public static char? Extract(string output, string choices = "ABCD", IReadOnlyDictionary<string, string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(choices);
        var text = Normalize(output);

        if (BoxedRegex().Match(text) is { Success: true } boxed && Valid(boxed.Groups[1].Value[0], choices) is { } b)
        {
            return b;
        }

        char? marked = null;
        foreach (Match m in MarkerRegex().Matches(text))
        {
            var g = m.Groups[1];
            var letter = g.Value[0];
            if (char.IsLower(letter) && FollowedByWord(text, g.Index + 1))
            {
                continue;
            }

            marked = Valid(letter, choices) ?? marked;
        }

        if (marked is not null)
        {
            return marked;
        }

        if (SoleLetterRegex().Match(text) is { Success: true } sole && Valid(sole.Groups[1].Value[0], choices) is { } s)
        {
            return s;
        }

        if (LeadingLabelRegex().Match(text) is { Success: true } lead)
        {
            var g = lead.Groups[1].Success ? lead.Groups[1] : lead.Groups[2].Success ? lead.Groups[2] : lead.Groups[3];
            if (Valid(g.Value[0], choices) is { } l)
            {
                return l;
            }
        }

        if (CommitRegex().Match(text) is { Success: true } commit && Valid(commit.Groups[1].Value[0], choices) is { } c)
        {
            return c;
        }

        if (Single(OptionWordRegex().Matches(text), choices) is { } o)
        {
            return o;
        }

        if (Standalone(text, choices) is { } alone)
        {
            return alone;
        }

        return options is null ? null : ByOptionText(text, choices, options);
    }

    private static char? Standalone(string text, string choices)
    {
        char? found = null;
        foreach (Match m in StandaloneRegex().Matches(text))
        {
            var letter = m.Groups[1].Value[0];
            if (choices.IndexOf(letter) < 0 || ((letter == 'A' || letter == 'I') && IsArticle(text, m.Groups[1].Index + 1)))
            {
                continue;
            }

            if (found is not null && found != letter)
            {
                return null;
            }

            found = letter;
        }

        return found;
    }

    private static string Normalize(string output)
    {
        if (output.AsSpan().IndexOfAny('*', '`') < 0)
        {
            return output.Trim();
        }

        return output.Replace("*", string.Empty, StringComparison.Ordinal).Replace("`", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static char? Valid(char letter, string choices)
    {
        var upper = char.ToUpperInvariant(letter);
        return choices.IndexOf(upper) >= 0 ? upper : null;
    }

    private static bool FollowedByWord(string text, int index)
    {
        if (index < text.Length && (text[index] == ')' || text[index] == ']'))
        {
            index++;
        }

        if (index >= text.Length || text[index] != ' ')
        {
            return false;
        }

        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return index < text.Length && char.IsLower(text[index]);
    }

    /// <summary>"A cat", "I think": a capital A or I followed by a lowercase word is a word, unless the word
    /// is one that follows an option letter ("A or C", "A is wrong").</summary>
    private static bool IsArticle(string text, int index)
    {
        if (!FollowedByWord(text, index))
        {
            return false;
        }

        var rest = text.AsSpan(index).TrimStart();
        var end = rest.IndexOfAny(' ', ',', '.');
        var word = end < 0 ? rest : rest[..end];
        return word is not ("or" or "and" or "is" or "was" or "seems" or "looks" or "because" or "since" or "as" or "would" or "could" or "might" or "appears");
    }

    private static char? Single(MatchCollection matches, string choices)
    {
        char? found = null;
        foreach (Match m in matches)
        {
            if (Valid(m.Groups[1].Value[0], choices) is not { } letter)
            {
                continue;
            }

            if (found is not null && found != letter)
            {
                return null;
            }

            found = letter;
        }

        return found;
    }

    private static char? ByOptionText(string text, string choices, IReadOnlyDictionary<string, string> options)
    {
        char? found = null;
        foreach (var letter in choices)
        {
            if (!options.TryGetValue(letter.ToString(), out var option))
            {
                continue;
            }

            option = option.Trim();
            if (option.Length >= 2 && text.Contains(option, StringComparison.OrdinalIgnoreCase))
            {
                if (found is not null)
                {
                    return null;
                }

                found = letter;
            }
        }

        return found;
    }

    /// <summary>Reads option texts from a case: variables named A, B, C… or a JSON array in <c>choices</c>/<c>options</c>.</summary>
    public static IReadOnlyDictionary<string, string>? OptionsOf(IReadOnlyDictionary<string, string> vars, string choices)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Length > 0 && vars.ContainsKey(choices[0].ToString()))
        {
            return vars;
        }

        if ((vars.TryGetValue("choices", out var json) || vars.TryGetValue("options", out json)) && json.StartsWith('['))
        {
            try
            {
                var list = JsonSerializer.Deserialize(json, EvalJsonContext.Default.StringArray);
                if (list is null)
                {
                    return null;
                }

                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < list.Length && i < choices.Length; i++)
                {
                    map[choices[i].ToString()] = list[i];
                }

                return map;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\\boxed\{\s*\(?([A-Za-z])\)?\s*\}")]
    private static partial Regex BoxedRegex();

    [GeneratedRegex(@"(?i:\b(?:final\s+answer|correct\s+answer|the\s+answer|answer|correct\s+option|correct\s+choice|best\s+answer)\b)\s*(?i:is|would\s+be|should\s+be|will\s+be)?\s*[:=\-]?\s*(?i:option|choice|letter)?\s*[:\-]?\s*[\(\[]?\s*([A-Za-z])(?![A-Za-z0-9'])")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"^[^A-Za-z0-9]*([A-Za-z])[^A-Za-z0-9]*$")]
    private static partial Regex SoleLetterRegex();

    [GeneratedRegex(@"^\s*(?:[\(\[]([A-Za-z])[\)\]]|([A-Za-z])\)|([A-Z])(?:[\.:](?:\s|$)|\s*\r?\n|\s+-\s|\s+—\s))")]
    private static partial Regex LeadingLabelRegex();

    [GeneratedRegex(@"(?i:\b(?:it's|it’s|it\s+is|its|go\s+with|going\s+with|choose|chose|pick|picked|select|selected|say|guess|opt\s+for)\b)\s*[:\-]?\s*[\(\[]?([A-Z])(?![A-Za-z0-9'])")]
    private static partial Regex CommitRegex();

    [GeneratedRegex(@"(?i:\b(?:option|choice|letter)\b)\s*[\(\[]?([A-Z])(?![A-Za-z0-9'])")]
    private static partial Regex OptionWordRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9'])([A-Z])(?![A-Za-z0-9'])")]
    private static partial Regex StandaloneRegex();
}
