// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Charter.Eval.Suites;

/// <summary>Loads a suite from YAML (cases inline or from JSONL/CSV files relative to the suite) and validates it.</summary>
/// <remarks>Every error found is reported, not only the first; see docs/eval.md for the format.</remarks>
public static class SuiteLoader
{
    /// <summary>Loads and validates the suite at <paramref name="path"/>.</summary>
    public static SuiteLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new SuiteLoadResult(null, [$"suite file not found: {path}"]);
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses suite YAML; case files are resolved relative to <paramref name="sourcePath"/>'s folder.</summary>
    public static SuiteLoadResult Parse(string yaml, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var errors = new List<string>();
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(yaml));

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                return new SuiteLoadResult(null, ["suite: the document must be a mapping"]);
            }

            root = map;
        }
        catch (YamlException ex)
        {
            return new SuiteLoadResult(null, [$"suite: invalid YAML at line {ex.Start.Line}: {ex.Message}"]);
        }

        var baseDir = Path.GetDirectoryName(sourcePath) ?? ".";
        var name = Scalar(root, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name: required");
        }

        var messages = ReadMessages(Child(root, "prompt") ?? Child(root, "messages"), "prompt", errors);
        if (messages.Count == 0)
        {
            errors.Add("prompt: required (a string or a list of {role, content} messages)");
        }

        var scorer = (Child(root, "scorer") is { } scorerNode ? ReadScorer(scorerNode, "scorer", baseDir, errors) : null) ?? ScorerSpec.Default;
        var parameters = Child(root, "parameters") is YamlMappingNode p ? ReadParameters(p, "parameters", errors) : RequestParameters.Default;
        var models = ReadStringList(Child(root, "models"), "models", errors);
        var prices = ReadPrices(Child(root, "prices"), errors);

        var cases = new List<EvalCase>();
        var caseNode = Child(root, "cases");
        if (caseNode is YamlSequenceNode caseSeq)
        {
            foreach (var item in caseSeq.Children)
            {
                if (item is YamlMappingNode m && m.Children.Count == 1 && Child(m, "file") is YamlScalarNode f)
                {
                    LoadCaseFile(f.Value ?? string.Empty, baseDir, cases, hash, errors);
                }
                else if (item is YamlMappingNode m2)
                {
                    ReadInlineCase(m2, cases, baseDir, errors);
                }
                else
                {
                    errors.Add($"cases[{cases.Count}]: each case must be a mapping");
                }
            }
        }
        else if (caseNode is YamlScalarNode caseFile)
        {
            LoadCaseFile(caseFile.Value ?? string.Empty, baseDir, cases, hash, errors);
        }
        else if (caseNode is not null)
        {
            errors.Add("cases: must be a list of cases or a file name");
        }

        foreach (var file in ReadStringList(Child(root, "cases_file") ?? Child(root, "cases_files"), "cases_file", errors))
        {
            LoadCaseFile(file, baseDir, cases, hash, errors);
        }

        if (cases.Count == 0)
        {
            errors.Add("cases: the suite has no cases");
        }

        ValidateCases(messages, scorer, cases, errors);
        if (errors.Count > 0)
        {
            return new SuiteLoadResult(null, errors);
        }

        var suite = new EvalSuite
        {
            Name = name!,
            Description = Scalar(root, "description"),
            SourcePath = sourcePath,
            Hash = Convert.ToHexStringLower(hash.GetHashAndReset()),
            Messages = messages,
            Cases = cases,
            Scorer = scorer,
            Models = models,
            Parameters = parameters,
            Prices = prices,
        };
        return new SuiteLoadResult(suite, errors);
    }

    private static void ValidateCases(IReadOnlyList<ChatMessageTemplate> messages, ScorerSpec suiteScorer, List<EvalCase> cases, List<string> errors)
    {
        var missingReported = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            if (!ids.Add(c.Id))
            {
                errors.Add($"case {c.Id}: duplicate id");
            }

            foreach (var message in messages)
            {
                foreach (var v in message.Content.Variables)
                {
                    if (!c.Vars.ContainsKey(v) && missingReported++ < 10)
                    {
                        errors.Add($"case {c.Id}: prompt variable '{v}' has no value");
                    }
                }
            }

            var spec = c.Scorer ?? suiteScorer;
            var expected = ExpectedFor(c, spec);
            if (expected is null && spec.Type is not (ScorerKind.JsonSchema or ScorerKind.Judge) && !(spec.Type == ScorerKind.Regex && spec.Pattern is not null))
            {
                errors.Add($"case {c.Id}: no expected value for scorer {spec.Name}");
            }
            else if (spec.Type == ScorerKind.Choice && expected is not null
                && (expected.Trim().Length != 1 || spec.Choices.IndexOf(char.ToUpperInvariant(expected.Trim()[0])) < 0))
            {
                errors.Add($"case {c.Id}: expected '{expected}' is not one of the choices {spec.Choices}");
            }
            else if (spec.Type == ScorerKind.Numeric && expected is not null && Scoring.NumberExtractor.Extract(expected) is null)
            {
                errors.Add($"case {c.Id}: expected '{expected}' is not a number");
            }
        }
    }

    /// <summary>The expected value of a case under a scorer: the case's own, else the scorer's template, else the <c>expected</c> or <c>answer</c> variable.</summary>
    public static string? ExpectedFor(EvalCase c, ScorerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(spec);
        if (c.Expected is not null)
        {
            return c.Expected;
        }

        if (spec.Expected is not null)
        {
            return spec.Expected.Render(c.Vars);
        }

        if (c.Vars.TryGetValue("expected", out var e) || c.Vars.TryGetValue("answer", out e))
        {
            return e;
        }

        return null;
    }

    private static List<ChatMessageTemplate> ReadMessages(YamlNode? node, string where, List<string> errors)
    {
        var list = new List<ChatMessageTemplate>();
        switch (node)
        {
            case null:
                break;
            case YamlScalarNode s:
                list.Add(new ChatMessageTemplate("user", PromptTemplate.Parse(s.Value ?? string.Empty)));
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    if (seq.Children[i] is not YamlMappingNode m)
                    {
                        errors.Add($"{where}[{i}]: must be a mapping with role and content");
                        continue;
                    }

                    var role = Scalar(m, "role") ?? "user";
                    if (role is not ("system" or "user" or "assistant" or "developer"))
                    {
                        errors.Add($"{where}[{i}].role: '{role}' is not system, developer, user or assistant");
                    }

                    var content = Scalar(m, "content");
                    if (content is null)
                    {
                        errors.Add($"{where}[{i}].content: required");
                        continue;
                    }

                    list.Add(new ChatMessageTemplate(role, PromptTemplate.Parse(content)));
                }

                break;
            default:
                errors.Add($"{where}: must be a string or a list of messages");
                break;
        }

        return list;
    }

    private static ScorerSpec? ReadScorer(YamlNode node, string where, string baseDir, List<string> errors)
    {
        if (node is YamlScalarNode s)
        {
            if (!ScorerKindNames.TryParse(s.Value, out var k))
            {
                errors.Add($"{where}: unknown scorer '{s.Value}' (exact, contains, regex, choice, numeric, json-schema, judge)");
                return null;
            }

            if (k == ScorerKind.Judge)
            {
                errors.Add($"{where}: the judge scorer needs a mapping with a judge section (model, rubric)");
            }

            return new ScorerSpec { Type = k };
        }

        if (node is not YamlMappingNode m)
        {
            errors.Add($"{where}: must be a scorer name or a mapping");
            return null;
        }

        var typeName = Scalar(m, "type");
        if (!ScorerKindNames.TryParse(typeName, out var kind))
        {
            errors.Add($"{where}.type: unknown scorer '{typeName}' (exact, contains, regex, choice, numeric, json-schema, judge)");
            return null;
        }

        var spec = new ScorerSpec
        {
            Type = kind,
            Expected = Scalar(m, "expected") is { } exp ? PromptTemplate.Parse(exp) : null,
            IgnoreCase = Bool(m, "ignore_case", false, where, errors),
            Trim = Bool(m, "trim", true, where, errors),
            Pattern = Scalar(m, "pattern"),
            Tolerance = Number(m, "tolerance", 1e-6, where, errors),
            RelativeTolerance = Number(m, "relative_tolerance", 0, where, errors),
            Choices = (Scalar(m, "choices") ?? "ABCD").ToUpperInvariant(),
        };

        if (kind == ScorerKind.Regex && spec.Pattern is not null)
        {
            ValidateRegex(spec.Pattern, spec.IgnoreCase, $"{where}.pattern", errors);
        }

        if (kind == ScorerKind.JsonSchema)
        {
            spec = spec with { Schema = ReadSchema(m, where, baseDir, errors) };
        }

        if (kind == ScorerKind.Judge)
        {
            spec = spec with { Judge = ReadJudge(Child(m, "judge") ?? m, $"{where}.judge", errors) };
        }

        return spec;
    }

    private static string? ReadSchema(YamlMappingNode m, string where, string baseDir, List<string> errors)
    {
        string? text = null;
        if (Child(m, "schema") is { } schemaNode)
        {
            text = schemaNode is YamlScalarNode s ? s.Value : YamlJson.ToJson(schemaNode);
        }
        else if (Scalar(m, "schema_file") is { } file)
        {
            var full = Path.Combine(baseDir, file);
            if (!File.Exists(full))
            {
                errors.Add($"{where}.schema_file: not found: {file}");
                return null;
            }

            text = File.ReadAllText(full);
        }

        if (text is null)
        {
            errors.Add($"{where}: json-schema needs schema (inline) or schema_file");
            return null;
        }

        try
        {
            _ = Scoring.JsonSchemaScorer.BuildSchema(text);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException or FormatException or Json.Schema.JsonSchemaException)
        {
            errors.Add($"{where}.schema: invalid JSON Schema: {ex.Message}");
        }

        return text;
    }

    private static JudgeSpec? ReadJudge(YamlNode node, string where, List<string> errors)
    {
        if (node is not YamlMappingNode m)
        {
            errors.Add($"{where}: must be a mapping");
            return null;
        }

        var model = Scalar(m, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add($"{where}.model: required");
        }

        var messages = ReadMessages(Child(m, "prompt") ?? Child(m, "messages"), $"{where}.prompt", errors);
        if (messages.Count == 0)
        {
            messages = DefaultJudgePrompt();
        }

        var threshold = Number(m, "pass_threshold", 0.5, where, errors);
        return new JudgeSpec
        {
            Model = model ?? string.Empty,
            Messages = messages,
            Rubric = PromptTemplate.Parse(Scalar(m, "rubric") ?? string.Empty),
            PassThreshold = threshold,
            Parameters = Child(m, "parameters") is YamlMappingNode p ? ReadParameters(p, $"{where}.parameters", errors) : RequestParameters.Default,
        };
    }

    /// <summary>The judge prompt used when a suite gives none.</summary>
    public static List<ChatMessageTemplate> DefaultJudgePrompt() =>
    [
        new("system", PromptTemplate.Parse(
            "You are a strict, fair grader. Grade the response against the rubric. "
            + "Reply with one JSON object and nothing else: {\"score\": <number from 0 to 1>, \"reason\": \"<one sentence>\"}.")),
        new("user", PromptTemplate.Parse(
            "Rubric:\n{{rubric}}\n\nQuestion:\n{{input}}\n\nReference answer (may be empty):\n{{expected}}\n\nResponse to grade:\n{{output}}")),
    ];

    private static RequestParameters ReadParameters(YamlMappingNode m, string where, List<string> errors)
    {
        double? temperature = Child(m, "temperature") is null ? null : Number(m, "temperature", 0, where, errors);
        double? topP = Child(m, "top_p") is null ? null : Number(m, "top_p", 1, where, errors);
        int? maxTokens = Child(m, "max_tokens") is null ? null : (int)Number(m, "max_tokens", 0, where, errors);
        int? seed = Child(m, "seed") is null ? null : (int)Number(m, "seed", 0, where, errors);
        return new RequestParameters { Temperature = temperature, TopP = topP, MaxTokens = maxTokens, Seed = seed };
    }

    private static Dictionary<string, ModelPrice> ReadPrices(YamlNode? node, List<string> errors)
    {
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (node is null)
        {
            return prices;
        }

        if (node is not YamlMappingNode m)
        {
            errors.Add("prices: must map model names to {input, output} per million tokens");
            return prices;
        }

        foreach (var (key, value) in m.Children)
        {
            var model = ((YamlScalarNode)key).Value ?? string.Empty;
            if (value is not YamlMappingNode pm)
            {
                errors.Add($"prices.{model}: must be {{input, output}}");
                continue;
            }

            prices[model] = new ModelPrice(Number(pm, "input", 0, $"prices.{model}", errors), Number(pm, "output", 0, $"prices.{model}", errors));
        }

        return prices;
    }

    private static void ReadInlineCase(YamlMappingNode m, List<EvalCase> cases, string baseDir, List<string> errors)
    {
        var index = cases.Count;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        string? id = null;
        string? expected = null;
        ScorerSpec? scorer = null;
        foreach (var (keyNode, value) in m.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            switch (key)
            {
                case "id":
                    id = YamlJson.ToVariable(value);
                    break;
                case "expected":
                    expected = YamlJson.ToVariable(value);
                    break;
                case "scorer":
                    scorer = ReadScorer(value, $"cases[{index}].scorer", baseDir, errors);
                    break;
                case "vars" when value is YamlMappingNode vm:
                    foreach (var (vk, vv) in vm.Children)
                    {
                        vars[((YamlScalarNode)vk).Value ?? string.Empty] = YamlJson.ToVariable(vv);
                    }

                    break;
                default:
                    vars[key] = YamlJson.ToVariable(value);
                    break;
            }
        }

        cases.Add(new EvalCase
        {
            Index = index,
            Id = id ?? (index + 1).ToString(CultureInfo.InvariantCulture),
            Vars = vars,
            Expected = expected,
            Scorer = scorer,
        });
    }

    private static void LoadCaseFile(string file, string baseDir, List<EvalCase> cases, IncrementalHash hash, List<string> errors)
    {
        var full = Path.Combine(baseDir, file);
        if (!File.Exists(full))
        {
            errors.Add($"cases file not found: {file}");
            return;
        }

        var bytes = File.ReadAllBytes(full);
        hash.AppendData(bytes);
        var text = Encoding.UTF8.GetString(bytes);
        if (file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            CaseFileReader.ReadCsv(text, file, cases, errors);
        }
        else
        {
            CaseFileReader.ReadJsonLines(text, file, cases, errors);
        }
    }

    private static void ValidateRegex(string pattern, bool ignoreCase, string where, List<string> errors)
    {
        try
        {
            _ = Scoring.RegexScorer.GetRegex(pattern, ignoreCase);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: invalid regular expression: {ex.Message}");
        }
    }

    private static YamlNode? Child(YamlMappingNode m, string key)
        => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode m, string key)
        => Child(m, key) is YamlScalarNode s ? s.Value : null;

    private static List<string> ReadStringList(YamlNode? node, string where, List<string> errors)
    {
        var list = new List<string>();
        switch (node)
        {
            case null:
                break;
            case YamlScalarNode s:
                foreach (var part in (s.Value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    list.Add(part);
                }

                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode si && !string.IsNullOrWhiteSpace(si.Value))
                    {
                        list.Add(si.Value.Trim());
                    }
                    else
                    {
                        errors.Add($"{where}: items must be strings");
                    }
                }

                break;
            default:
                errors.Add($"{where}: must be a list of strings");
                break;
        }

        return list;
    }

    private static double Number(YamlMappingNode m, string key, double fallback, string where, List<string> errors)
    {
        var s = Scalar(m, key);
        if (s is null)
        {
            return fallback;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return d;
        }

        errors.Add($"{where}.{key}: '{s}' is not a number");
        return fallback;
    }

    private static bool Bool(YamlMappingNode m, string key, bool fallback, string where, List<string> errors)
    {
        var s = Scalar(m, key);
        if (s is null)
        {
            return fallback;
        }

        if (bool.TryParse(s, out var b))
        {
            return b;
        }

        errors.Add($"{where}.{key}: '{s}' is not true or false");
        return fallback;
    }
}
