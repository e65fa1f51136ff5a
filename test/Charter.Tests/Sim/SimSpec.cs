// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Charter.Eval.Suites;
using Charter.Tests.Common;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Charter.Tests.Sim;

/// <summary>Validates simulator answers against a schema of the OpenAI spec (../shared/spec/openai-openapi.yaml), as JSON Schema 2020-12.</summary>
/// <remarks>
/// A small form of the functional tests' <c>OpenApiSpec</c>, which this project cannot reference: the named schema and those it
/// references are copied into <c>$defs</c>; <c>x-*</c> extensions and examples are dropped, and the OpenAPI 3.0 leftover
/// <c>nullable: true</c> becomes a <c>"null"</c> type. A test may relax a schema where OpenAI's real answers differ from it
/// (<paramref name="relax"/> of <see cref="AssertValid"/>). Skips when the spec is not beside the repository.
/// </remarks>
internal static partial class SimSpec
{
    private static readonly Lazy<JsonObject?> s_schemas = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, JsonSchema> s_built = new(StringComparer.Ordinal);
    private static readonly Dialect s_dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true);
    private static readonly EvaluationOptions s_evaluation = new() { OutputFormat = OutputFormat.List };
    private static readonly Lock s_lock = new();

    /// <summary>Asserts that <paramref name="instance"/> is valid against <c>#/components/schemas/{schemaName}</c>.</summary>
    /// <param name="schemaName">A name under <c>components.schemas</c>.</param>
    /// <param name="instance">The JSON to check.</param>
    /// <param name="variant">Names the relaxed schema in the cache (null: the spec's own).</param>
    /// <param name="relax">Changes the copied <c>$defs</c> (by name) before the schema is built.</param>
    public static void AssertValid(string schemaName, JsonElement instance, string? variant = null, Action<JsonObject>? relax = null)
    {
        var schemas = s_schemas.Value;
        if (schemas is null)
        {
            Assert.Skip("../shared/spec/openai-openapi.yaml not found beside the repository");
        }

        var schema = s_built.GetOrAdd(schemaName + "|" + variant, _ => Build(schemas, schemaName, relax));
        EvaluationResults results;
        lock (s_lock)
        {
            results = schema.Evaluate(instance, s_evaluation);
        }

        if (results.IsValid)
        {
            return;
        }

        var errors = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                errors.Add($"{detail.InstanceLocation} ({detail.EvaluationPath}) {keyword}: {message}");
            }
        }

        Assert.Fail($"Not a valid {schemaName}:\n{string.Join('\n', errors)}\n{instance.GetRawText()}");
    }

    /// <summary>Makes the schema at <paramref name="path"/> (member names below <paramref name="schema"/>) accept null too.</summary>
    public static void MakeNullable(JsonObject schema, params string[] path)
    {
        JsonNode node = schema;
        foreach (var name in path)
        {
            node = node[name] ?? throw new InvalidOperationException($"No '{name}' in the schema path {string.Join('.', path)}.");
        }

        var inner = node.DeepClone();
        var obj = (JsonObject)node;
        obj.Clear();
        obj["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
    }

    private static JsonSchema Build(JsonObject schemas, string name, Action<JsonObject>? relax)
    {
        var defs = new JsonObject();
        Copy(schemas, name, defs);
        relax?.Invoke(defs);
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$ref"] = "#/$defs/" + name,
            ["$defs"] = defs,
        };
        return JsonSchema.FromText(document.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = s_dialect });
    }

    /// <summary>Copies schema <paramref name="name"/> and, recursively, those it references into <paramref name="defs"/>.</summary>
    private static void Copy(JsonObject schemas, string name, JsonObject defs)
    {
        if (defs.ContainsKey(name))
        {
            return;
        }

        var schema = schemas[name]?.DeepClone() ?? throw new ArgumentException($"The spec has no schema '{name}'.", nameof(name));
        defs[name] = schema;
        var referenced = new List<string>();
        Normalise(schema, referenced);
        foreach (var other in referenced)
        {
            Copy(schemas, other, defs);
        }
    }

    private static void Normalise(JsonNode? node, List<string> referenced)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Normalise(item, referenced);
                }

                break;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    if (key.StartsWith("x-", StringComparison.Ordinal) || key is "example" or "examples" or "discriminator")
                    {
                        obj.Remove(key);
                    }
                }

                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target
                    && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    var other = target["#/components/schemas/".Length..];
                    referenced.Add(other);
                    obj["$ref"] = "#/$defs/" + other;
                }

                if (obj["nullable"] is JsonValue nullable)
                {
                    obj.Remove("nullable");
                    if (nullable.GetValueKind() == JsonValueKind.True && obj["type"] is JsonValue type)
                    {
                        obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                    }
                }

                foreach (var (key, value) in obj.ToArray())
                {
                    if (key is "properties" or "patternProperties" && value is JsonObject named)
                    {
                        // Keys here are member names, not keywords: keep them, normalise their schemas.
                        foreach (var (_, child) in named)
                        {
                            Normalise(child, referenced);
                        }
                    }
                    else if (key is not ("enum" or "const" or "default" or "required"))
                    {
                        Normalise(value, referenced);
                    }
                }

                break;
        }
    }

    private static JsonObject? Load()
    {
        var path = RepoPaths.FindUpwards(Path.Combine("shared", "spec", "openai-openapi.yaml"));
        if (path is null)
        {
            return null;
        }

        // YamlDotNet refuses a block scalar whose only line is deeper white space (an example under CreateCompletionRequest.stop);
        // blanking white-space-only lines changes nothing but such text, which validation ignores.
        var text = WhitespaceOnlyLine().Replace(File.ReadAllText(path), string.Empty);
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        var root = JsonNode.Parse(YamlJson.ToJson(yaml.Documents[0].RootNode))!;
        return (JsonObject)root["components"]!["schemas"]!;
    }

    [GeneratedRegex("^[ \\t]+$", RegexOptions.Multiline)]
    private static partial Regex WhitespaceOnlyLine();
}
