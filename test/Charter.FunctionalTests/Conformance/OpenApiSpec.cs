// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Charter.Tests.Common;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Charter.FunctionalTests.Conformance;

/// <summary>The OpenAI OpenAPI document (../shared/spec/openai-openapi.yaml) as JSON Schema 2020-12 validators,
/// one per <c>components.schemas</c> entry, so gateway responses can be checked against the published contract.</summary>
/// <remarks>
/// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus a few OpenAPI-only keywords; before validating, the document is
/// normalised: <c>x-*</c> extensions, <c>discriminator</c>, <c>example</c>/<c>examples</c>, <c>xml</c> and
/// <c>externalDocs</c> are removed (annotations only), and the OpenAPI 3.0 leftover <c>nullable: true</c>, which
/// 2020-12 ignores but the spec still uses (e.g. a stream chunk's <c>finish_reason</c>), becomes a type array with
/// <c>"null"</c> (and <c>null</c> in an <c>enum</c>). Without that a real OpenAI chunk would fail validation.
/// </remarks>
internal sealed partial class OpenApiSpec
{
    private const string DocumentUri = "https://spec.charter.test/openai-openapi.json";
    private static readonly Lazy<OpenApiSpec> _shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.List };
    private static readonly Dialect _dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true);
    private static readonly HashSet<string> _annotationKeys = ["discriminator", "example", "examples", "xml", "externalDocs"];

    private readonly SchemaRegistry _registry;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private OpenApiSpec(SchemaRegistry registry, JsonObject schemas)
    {
        _registry = registry;
        SchemaNames = new HashSet<string>(schemas.Select(p => p.Key), StringComparer.Ordinal);
    }

    /// <summary>The spec loaded once per test process.</summary>
    public static OpenApiSpec Shared => _shared.Value;

    /// <summary>The spec: <c>../shared/spec/openai-openapi.yaml</c> next to the repository (six levels above the test
    /// binary in the main checkout, seven in a worktree under wt/), found by walking up from the binary.</summary>
    public static string SpecPath => RepoPaths.FindUpwards(Path.Combine("shared", "spec", "openai-openapi.yaml"))
        ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/spec/openai-openapi.yaml"));

    /// <summary>Names under <c>components.schemas</c>.</summary>
    public IReadOnlySet<string> SchemaNames { get; }

    /// <summary>Validates <paramref name="instance"/> against <c>#/components/schemas/{schemaName}</c>; returns every error (empty when valid).</summary>
    public IReadOnlyList<string> Validate(string schemaName, JsonElement instance)
    {
        if (!SchemaNames.Contains(schemaName))
        {
            throw new ArgumentException($"The spec has no schema '{schemaName}'.", nameof(schemaName));
        }

        var schema = _schemas.GetOrAdd(schemaName, static (name, self) => self.Build(name), this);
        EvaluationResults results;
        lock (_lock)
        {
            results = schema.Evaluate(instance, _evaluation);
        }

        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is { Count: > 0 } e)
            {
                foreach (var (keyword, message) in e)
                {
                    errors.Add($"{detail.InstanceLocation} ({detail.EvaluationPath}) {keyword}: {message}");
                }
            }
        }

        if (errors.Count == 0)
        {
            errors.Add("invalid (no detail)");
        }

        return errors;
    }

    /// <summary>Parses <paramref name="json"/> and validates it; returns every error.</summary>
    public IReadOnlyList<string> Validate(string schemaName, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Validate(schemaName, doc.RootElement);
    }

    private JsonSchema Build(string name) =>
        JsonSchema.FromText(
            $"{{\"$ref\":\"{DocumentUri}#/components/schemas/{name}\"}}",
            new BuildOptions { SchemaRegistry = _registry, Dialect = _dialect });

    private static OpenApiSpec Load()
    {
        // YamlDotNet rejects a block scalar whose only line is whitespace deeper than the content indent
        // (`example: |+` under CreateCompletionRequest.stop, "found extra spaces in first line"); blanking
        // whitespace-only lines changes nothing but such example/description text, which validation ignores.
        var text = WhitespaceOnlyLine().Replace(File.ReadAllText(SpecPath), string.Empty);
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        var root = (JsonObject)ToJson(yaml.Documents[0].RootNode)!;
        var schemas = (JsonObject)root["components"]!["schemas"]!;
        foreach (var (_, schema) in schemas)
        {
            Normalise(schema);
        }

        var document = new JsonObject { ["components"] = new JsonObject { ["schemas"] = schemas.DeepClone() } };
        var element = JsonSerializer.SerializeToElement(document);
        var registry = new SchemaRegistry();
        registry.Register(new Uri(DocumentUri), new JsonElementBaseDocument(element, new Uri(DocumentUri)));
        return new OpenApiSpec(registry, schemas);
    }

    /// <summary>Normalises one schema object in place (see the type remarks).</summary>
    private static void Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Normalise(item);
                }

                break;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    if (key.StartsWith("x-", StringComparison.Ordinal) || _annotationKeys.Contains(key))
                    {
                        obj.Remove(key);
                    }
                }

                if (obj["nullable"] is JsonValue nullable)
                {
                    obj.Remove("nullable");
                    if (nullable.GetValueKind() == JsonValueKind.True)
                    {
                        MakeNullable(obj);
                    }
                }

                foreach (var (key, value) in obj.ToArray())
                {
                    if (key is "properties" or "patternProperties" or "$defs" or "dependentSchemas" && value is JsonObject named)
                    {
                        // Keys here are names, not keywords: keep them, normalise their schemas.
                        foreach (var (_, child) in named)
                        {
                            Normalise(child);
                        }
                    }
                    else if (key is not ("enum" or "const" or "default" or "required"))
                    {
                        Normalise(value);
                    }
                }

                break;
        }
    }

    private static void MakeNullable(JsonObject obj)
    {
        if (obj["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String)
        {
            obj["type"] = new JsonArray(type.GetValue<string>(), "null");
            if (obj["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }

            return;
        }

        if (obj["type"] is JsonArray types)
        {
            if (!types.Any(t => t?.GetValue<string>() == "null"))
            {
                types.Add("null");
            }

            return;
        }

        // A $ref or composition without a type: wrap it as anyOf [itself, null].
        var inner = new JsonObject();
        foreach (var key in obj.Select(p => p.Key).ToArray())
        {
            if (key is not ("description" or "title" or "deprecated"))
            {
                var value = obj[key];
                obj.Remove(key);
                inner[key] = value;
            }
        }

        obj["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
    }

    [GeneratedRegex("^[ \\t]+$", RegexOptions.Multiline)]
    private static partial Regex WhitespaceOnlyLine();

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    obj[((YamlScalarNode)k).Value!] = ToJson(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(ToJson(item));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidDataException($"Unexpected YAML node {node.NodeType} at {node.Start}.");
        }
    }

    /// <summary>YAML 1.2 core schema for plain scalars; quoted and block scalars are strings.</summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (value.Any(char.IsAsciiDigit) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
