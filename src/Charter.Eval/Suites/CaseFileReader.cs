// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;

namespace Charter.Eval.Suites;

/// <summary>Reads cases from JSON Lines and CSV files.</summary>
/// <remarks>Fields <c>id</c> and <c>expected</c> are taken out; <c>vars</c> (an object) or every other field
/// becomes a template variable; a <c>scorer</c> field names a per-case scorer type.</remarks>
internal static class CaseFileReader
{
    public static void ReadJsonLines(string text, string file, List<EvalCase> cases, List<string> errors)
    {
        var lineNo = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line.ToString());
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{file}:{lineNo}: each line must be a JSON object");
                    continue;
                }

                var vars = new Dictionary<string, string>(StringComparer.Ordinal);
                string? id = null;
                string? expected = null;
                ScorerSpec? scorer = null;
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    switch (prop.Name)
                    {
                        case "id":
                            id = AsText(prop.Value);
                            break;
                        case "expected":
                            expected = AsText(prop.Value);
                            break;
                        case "scorer" when prop.Value.ValueKind == JsonValueKind.String:
                            if (ScorerKindNames.TryParse(prop.Value.GetString(), out var kind))
                            {
                                scorer = new ScorerSpec { Type = kind };
                            }
                            else
                            {
                                errors.Add($"{file}:{lineNo}: unknown scorer '{prop.Value.GetString()}'");
                            }

                            break;
                        case "vars" when prop.Value.ValueKind == JsonValueKind.Object:
                            foreach (var v in prop.Value.EnumerateObject())
                            {
                                vars[v.Name] = AsText(v.Value);
                            }

                            break;
                        default:
                            vars[prop.Name] = AsText(prop.Value);
                            break;
                    }
                }

                Add(cases, id, vars, expected, scorer);
            }
            catch (JsonException ex)
            {
                errors.Add($"{file}:{lineNo}: invalid JSON: {ex.Message}");
            }
        }
    }

    public static void ReadCsv(string text, string file, List<EvalCase> cases, List<string> errors)
    {
        var rows = CsvReader.Parse(text);
        if (rows.Count == 0)
        {
            errors.Add($"{file}: empty CSV (a header row is required)");
            return;
        }

        var header = rows[0];
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length != header.Length)
            {
                errors.Add($"{file}: row {r + 1} has {row.Length} fields, the header has {header.Length}");
                continue;
            }

            var vars = new Dictionary<string, string>(StringComparer.Ordinal);
            string? id = null;
            string? expected = null;
            for (var c = 0; c < header.Length; c++)
            {
                switch (header[c].Trim())
                {
                    case "id":
                        id = row[c];
                        break;
                    case "expected":
                        expected = row[c];
                        break;
                    default:
                        vars[header[c].Trim()] = row[c];
                        break;
                }
            }

            Add(cases, id, vars, expected, null);
        }
    }

    private static void Add(List<EvalCase> cases, string? id, Dictionary<string, string> vars, string? expected, ScorerSpec? scorer)
    {
        var index = cases.Count;
        cases.Add(new EvalCase
        {
            Index = index,
            Id = string.IsNullOrEmpty(id) ? (index + 1).ToString(CultureInfo.InvariantCulture) : id,
            Vars = vars,
            Expected = expected,
            Scorer = scorer,
        });
    }

    private static string AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null => string.Empty,
        _ => value.GetRawText(),
    };
}
