// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;
using Charter.Tests.Common;

namespace Charter.Tests.Eval;

public sealed class SuiteLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("charter-eval-suite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SuiteLoadResult Load(string yaml)
    {
        var path = Path.Combine(_dir, "suite.yaml");
        File.WriteAllText(path, yaml);
        return SuiteLoader.Load(path);
    }

    [Fact]
    public void Load_InlineCases_RendersTemplates()
    {
        var result = Load("""
            name: capitals
            models: [m1, m2]
            parameters: { temperature: 0.2, max_tokens: 16 }
            prompt:
              - role: system
                content: Answer in one word.
              - role: user
                content: "Capital of {{ country }}?"
            scorer: { type: exact, ignore_case: true }
            cases:
              - { id: fr, country: France, expected: Paris }
              - vars: { country: Italy }
                expected: Rome
            """);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        var suite = result.Suite!;
        Assert.Equal("capitals", suite.Name);
        Assert.Equal(["m1", "m2"], suite.Models);
        Assert.Equal(16, suite.Parameters.MaxTokens);
        Assert.Equal(0.2, suite.Parameters.Temperature);
        Assert.Equal(2, suite.Cases.Count);
        Assert.Equal("fr", suite.Cases[0].Id);
        Assert.Equal("2", suite.Cases[1].Id);
        Assert.Equal("Capital of Italy?", suite.Messages[1].Content.Render(suite.Cases[1].Vars));
        Assert.True(suite.Scorer.IgnoreCase);
        Assert.Equal(64, suite.Hash.Length);
    }

    [Fact]
    public void Load_JsonlAndCsvFiles_RelativeToSuite()
    {
        File.WriteAllText(Path.Combine(_dir, "a.jsonl"), "{\"id\":\"j1\",\"q\":\"2+2\",\"expected\":4}\n\n{\"vars\":{\"q\":\"3+3\"},\"expected\":\"6\"}\n");
        File.WriteAllText(Path.Combine(_dir, "b.csv"), "id,q,expected\nc1,\"1,000 + 1\",1001\nc2,\"multi\nline\",7\n");
        var result = Load("""
            name: arith
            prompt: "{{q}}"
            scorer: numeric
            cases:
              - file: a.jsonl
              - file: b.csv
            """);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        var cases = result.Suite!.Cases;
        Assert.Equal(4, cases.Count);
        Assert.Equal("j1", cases[0].Id);
        Assert.Equal("4", cases[0].Expected);
        Assert.Equal("3+3", cases[1].Vars["q"]);
        Assert.Equal("1,000 + 1", cases[2].Vars["q"]);
        Assert.Equal("multi\nline", cases[3].Vars["q"]);
        Assert.Equal([0, 1, 2, 3], cases.Select(c => c.Index));
    }

    [Fact]
    public void Load_HashChangesWhenCaseFileChanges()
    {
        File.WriteAllText(Path.Combine(_dir, "a.jsonl"), "{\"q\":\"x\",\"expected\":\"y\"}\n");
        const string yaml = "name: h\nprompt: \"{{q}}\"\ncases_file: a.jsonl\n";
        var first = Load(yaml).Suite!.Hash;
        File.WriteAllText(Path.Combine(_dir, "a.jsonl"), "{\"q\":\"x\",\"expected\":\"z\"}\n");
        Assert.NotEqual(first, Load(yaml).Suite!.Hash);
    }

    [Fact]
    public void Load_InvalidSuite_ReportsEveryError()
    {
        var result = Load("""
            prompt: "Q: {{question}}"
            scorer: { type: regex, pattern: "([a-z" }
            parameters: { temperature: hot }
            cases:
              - { expected: a }
              - file: missing.jsonl
            """);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.StartsWith("name:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("invalid regular expression", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("temperature", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("'question' has no value", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("missing.jsonl", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ChoiceExpectedNotAChoice_IsAnError()
    {
        var result = Load("name: mc\nprompt: \"{{q}}\"\nscorer: choice\ncases:\n  - { q: x, expected: E }\n");
        Assert.Contains(result.Errors, e => e.Contains("not one of the choices", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_JsonSchemaInlineYaml_AndJudge()
    {
        var result = Load("""
            name: mixed
            prompt: "{{q}}"
            scorer:
              type: json-schema
              schema:
                type: object
                required: [a]
            cases:
              - { q: one }
              - q: two
                scorer:
                  type: judge
                  judge: { model: judge-model, rubric: "Is it about {{q}}?", pass_threshold: 0.7 }
            """);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Contains("\"required\":[\"a\"]", result.Suite!.Scorer.Schema, StringComparison.Ordinal);
        var judge = result.Suite.Cases[1].Scorer!.Judge!;
        Assert.Equal("judge-model", judge.Model);
        Assert.Equal(0.7, judge.PassThreshold);
        Assert.Equal(2, judge.Messages.Count);
    }

    [Fact]
    public void Template_WhitespaceAndUnknown()
    {
        var t = PromptTemplate.Parse("a {{ x }} b {{y}} {{ }} c");
        Assert.Equal(["x", "y"], t.Variables);
        Assert.Equal("a 1 b  {{ }} c", t.Render(new Dictionary<string, string> { ["x"] = "1" }));
    }

    [Fact]
    public void ShippedExampleSuites_LoadWithoutErrors()
    {
        var evals = FindEvalsDir();
        var suites = Directory.GetFiles(evals, "*.yaml");
        Assert.NotEmpty(suites);
        foreach (var file in suites)
        {
            var result = SuiteLoader.Load(file);
            Assert.True(result.Success, file + ": " + string.Join("; ", result.Errors));
        }
    }

    internal static string FindEvalsDir() => Path.Combine(RepoPaths.Root, "evals");
}
