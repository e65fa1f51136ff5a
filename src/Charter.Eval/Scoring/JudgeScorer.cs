// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Builds the judge's prompt and reads its verdict.</summary>
/// <remarks>The verdict may be a JSON object (<c>score</c>, <c>pass</c>/<c>passed</c> or <c>verdict</c>), a line
/// such as "Score: 7/10" or "score = 0.8", or the words PASS / FAIL. Scores above 1 are read out of 10 (or 100
/// when above 10) unless a denominator is written.</remarks>
public static partial class JudgeScorer
{
    /// <summary>Renders the judge messages for one output.</summary>
    public static List<(string Role, string Content)> BuildMessages(JudgeSpec judge, EvalCase evalCase, string output, string? expected, string input)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(evalCase);
        var rubric = judge.Rubric.Render(evalCase.Vars);
        string? Lookup(string name) => name switch
        {
            "output" => output,
            "expected" => expected ?? string.Empty,
            "rubric" => rubric,
            "input" => input,
            _ => evalCase.Vars.TryGetValue(name, out var v) ? v : null,
        };

        var list = new List<(string, string)>(judge.Messages.Count);
        foreach (var m in judge.Messages)
        {
            list.Add((m.Role, m.Content.Render(Lookup)));
        }

        return list;
    }

    /// <summary>Turns the judge's reply into a score result against the threshold.</summary>
    public static ScoreResult Verdict(string judgeOutput, double passThreshold)
    {
        ArgumentNullException.ThrowIfNull(judgeOutput);
        var score = ParseScore(judgeOutput);
        if (score is null)
        {
            return ScoreResult.Fail("judge verdict unreadable");
        }

        var detail = "judge " + score.Value.ToString("0.###", CultureInfo.InvariantCulture);
        return new ScoreResult(score.Value, score.Value >= passThreshold, detail);
    }

    /// <summary>The judge's score normalised to [0, 1], or null.</summary>
    public static double? ParseScore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = JsonSchemaScorer.ExtractJson(text);
        if (json is not null && json.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                if (root.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number)
                {
                    return Normalise(s.GetDouble(), null);
                }

                foreach (var name in (ReadOnlySpan<string>)["pass", "passed", "verdict"])
                {
                    if (root.TryGetProperty(name, out var p))
                    {
                        if (p.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            return p.GetBoolean() ? 1 : 0;
                        }

                        if (p.ValueKind == JsonValueKind.String && PassFail(p.GetString() ?? string.Empty) is { } pf)
                        {
                            return pf;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Fall through to the text rules.
            }
        }

        var m = ScoreRegex().Match(text);
        if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            double? den = m.Groups[2].Success && double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            return Normalise(value, den);
        }

        return PassFail(text);
    }

    private static double? PassFail(string text)
    {
        var pass = PassRegex().IsMatch(text);
        var fail = FailRegex().IsMatch(text);
        return pass == fail ? null : pass ? 1 : 0;
    }

    private static double Normalise(double value, double? denominator)
    {
        if (denominator is > 0)
        {
            return Math.Clamp(value / denominator.Value, 0, 1);
        }

        return Math.Clamp(value <= 1 ? value : value <= 10 ? value / 10 : value / 100, 0, 1);
    }

    [GeneratedRegex(@"(?i:\b(?:score|grade|rating)\b)\s*[:=]?\s*(\d+(?:\.\d+)?)(?:\s*(?:/|out\s+of)\s*(\d+(?:\.\d+)?))?")]
    private static partial Regex ScoreRegex();

    [GeneratedRegex(@"\b(?:PASS|PASSED|Pass|CORRECT|Correct)\b")]
    private static partial Regex PassRegex();

    [GeneratedRegex(@"\b(?:FAIL|FAILED|Fail|INCORRECT|Incorrect)\b")]
    private static partial Regex FailRegex();
}
