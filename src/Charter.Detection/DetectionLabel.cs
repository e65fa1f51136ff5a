// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Detection;

/// <summary>One line of a labels file: <c>{"key","team","label":"extraction"|"benign","scenario"}</c>.</summary>
public sealed record DetectionLabel(string Key, string Team, bool IsExtraction, string Scenario)
{
    /// <summary>Reads a labels JSON Lines file; malformed lines are skipped and reported through <paramref name="errors"/>.</summary>
    public static IReadOnlyList<DetectionLabel> ReadFile(string path, List<string>? errors = null)
    {
        var list = new List<DetectionLabel>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                string? key = root.TryGetProperty("key", out var k) ? k.GetString() : null;
                string? label = root.TryGetProperty("label", out var l) ? l.GetString() : null;
                if (key is null || label is null)
                {
                    errors?.Add($"line {lineNo}: missing key or label");
                    continue;
                }

                string team = root.TryGetProperty("team", out var t) ? t.GetString() ?? "" : "";
                string scenario = root.TryGetProperty("scenario", out var s) ? s.GetString() ?? "" : "";
                list.Add(new DetectionLabel(key, team, string.Equals(label, "extraction", StringComparison.OrdinalIgnoreCase), scenario));
            }
            catch (JsonException e)
            {
                errors?.Add($"line {lineNo}: {e.Message}");
            }
        }

        return list;
    }
}
