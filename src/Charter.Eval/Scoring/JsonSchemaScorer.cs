// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Eval.Suites;
using Json.Schema;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the output contains JSON (bare, fenced in a code block, or embedded in prose)
/// that parses and validates against the schema.</summary>
internal sealed class JsonSchemaScorer : IScorer
{
    private static readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.List };
    private readonly JsonSchema _schema;
    private readonly Lock _lock = new();

    public JsonSchemaScorer(string schemaText)
    {
        _schema = BuildSchema(schemaText);
    }

    /// <summary>Builds a schema in its own registry, so two suites may reuse an <c>$id</c>.</summary>
    public static JsonSchema BuildSchema(string schemaText)
        => JsonSchema.FromText(schemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        var json = ExtractJson(output);
        if (json is null)
        {
            return ScoreResult.Fail("no JSON in output");
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            EvaluationResults results;
            lock (_lock)
            {
                results = _schema.Evaluate(doc.RootElement, _evaluation);
            }

            return results.IsValid ? ScoreResult.Pass() : ScoreResult.Fail(FirstError(results));
        }
        catch (JsonException ex)
        {
            return ScoreResult.Fail("invalid JSON: " + ex.Message);
        }
    }

    /// <summary>Finds the JSON text in an output: a fenced block, the whole output, or the outermost braces/brackets.</summary>
    public static string? ExtractJson(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = output.Trim();
        var fence = text.IndexOf("```", StringComparison.Ordinal);
        if (fence >= 0)
        {
            var bodyStart = text.IndexOf('\n', fence);
            var end = bodyStart < 0 ? -1 : text.IndexOf("```", bodyStart, StringComparison.Ordinal);
            if (end > bodyStart)
            {
                text = text[(bodyStart + 1)..end].Trim();
            }
        }

        if (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            return text;
        }

        var open = text.IndexOfAny(['{', '[']);
        if (open < 0)
        {
            return null;
        }

        var close = text.LastIndexOf(text[open] == '{' ? '}' : ']');
        return close > open ? text[open..(close + 1)] : null;
    }

    private static string FirstError(EvaluationResults results)
    {
        if (results.Details is { } details)
        {
            foreach (var d in details)
            {
                if (d.Errors is { Count: > 0 } errors)
                {
                    foreach (var (keyword, message) in errors)
                    {
                        return $"{d.InstanceLocation}: {keyword}: {message}";
                    }
                }
            }
        }

        return "schema validation failed";
    }
}
