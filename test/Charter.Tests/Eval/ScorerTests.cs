// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Scoring;
using Charter.Eval.Suites;

namespace Charter.Tests.Eval;

public sealed class ScorerTests
{
    private static ScoreResult Score(ScorerSpec spec, string output, string? expected, Dictionary<string, string>? vars = null)
        => ScorerFactory.Create(spec)!.Score(output, expected, EvalTestData.Case(expected, vars));

    [Theory]
    [InlineData("Paris", "Paris", true)]
    [InlineData("  Paris\n", "Paris", true)]
    [InlineData("paris", "Paris", false)]
    [InlineData("Paris.", "Paris", false)]
    public void Exact_Default_TrimsButIsCaseSensitive(string output, string expected, bool passed)
    {
        Assert.Equal(passed, Score(new ScorerSpec { Type = ScorerKind.Exact }, output, expected).Passed);
    }

    [Fact]
    public void Exact_IgnoreCase_Passes()
    {
        Assert.True(Score(new ScorerSpec { Type = ScorerKind.Exact, IgnoreCase = true }, "PARIS", "paris").Passed);
    }

    [Fact]
    public void Exact_NoTrim_WhitespaceMatters()
    {
        Assert.False(Score(new ScorerSpec { Type = ScorerKind.Exact, Trim = false }, "Paris ", "Paris").Passed);
    }

    [Theory]
    [InlineData("The capital is Paris.", "Paris", false, true)]
    [InlineData("The capital is paris.", "Paris", false, false)]
    [InlineData("The capital is paris.", "Paris", true, true)]
    [InlineData("It is Lyon", "Paris|Lyon", false, true)]
    [InlineData("It is Nice", "Paris|Lyon", false, false)]
    public void Contains_CaseAndAlternatives(string output, string expected, bool ignoreCase, bool passed)
    {
        Assert.Equal(passed, Score(new ScorerSpec { Type = ScorerKind.Contains, IgnoreCase = ignoreCase }, output, expected).Passed);
    }

    [Fact]
    public void Regex_PatternFromSpec_Matches()
    {
        var spec = new ScorerSpec { Type = ScorerKind.Regex, Pattern = @"^\d{4}-\d{2}-\d{2}$" };
        Assert.True(Score(spec, "2024-02-29", null).Passed);
        Assert.False(Score(spec, "29/02/2024", null).Passed);
    }

    [Fact]
    public void Regex_ExpectedIsPatternWhenNoneGiven()
    {
        Assert.True(Score(new ScorerSpec { Type = ScorerKind.Regex, IgnoreCase = true }, "Hello WORLD", "world$").Passed);
    }

    [Theory]
    [InlineData("42", "42", true)]
    [InlineData("The answer is 42.", "42", true)]
    [InlineData("First 3 apples, then 5: the answer is 1,234.", "1234", true)]
    [InlineData("#### -7.5", "-7.5", true)]
    [InlineData("x = 3/4", "0.75", true)]
    [InlineData("3.14159", "3.14", false)]
    [InlineData("no number here", "1", false)]
    [InlineData("We had 10, then 12", "12", true)]
    [InlineData("1.5e3", "1500", true)]
    public void Numeric_Extraction(string output, string expected, bool passed)
    {
        Assert.Equal(passed, Score(new ScorerSpec { Type = ScorerKind.Numeric }, output, expected).Passed);
    }

    [Fact]
    public void Numeric_Tolerances()
    {
        Assert.True(Score(new ScorerSpec { Type = ScorerKind.Numeric, Tolerance = 0.01 }, "3.14159", "3.14").Passed);
        Assert.True(Score(new ScorerSpec { Type = ScorerKind.Numeric, RelativeTolerance = 0.05 }, "104", "100").Passed);
        Assert.False(Score(new ScorerSpec { Type = ScorerKind.Numeric, RelativeTolerance = 0.05 }, "106", "100").Passed);
    }

    [Fact]
    public void Choice_ComparesExtractedLetter()
    {
        var spec = new ScorerSpec { Type = ScorerKind.Choice };
        Assert.True(Score(spec, "I think it's C because...", "C").Passed);
        var wrong = Score(spec, "The answer is (B).", "c");
        Assert.False(wrong.Passed);
        Assert.Equal("B", wrong.Detail);
        Assert.Equal("no choice found", Score(spec, "no idea", "A").Detail);
    }

    private const string PersonSchema = """
        {"type":"object","required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"additionalProperties":false}
        """;

    [Theory]
    [InlineData("{\"name\":\"Ada\",\"age\":36}", true)]
    [InlineData("```json\n{\"name\":\"Ada\",\"age\":36}\n```", true)]
    [InlineData("Here you go: {\"name\":\"Ada\",\"age\":36} Hope it helps!", true)]
    [InlineData("{\"name\":\"Ada\"}", false)]
    [InlineData("{\"name\":\"Ada\",\"age\":-1}", false)]
    [InlineData("{\"name\":\"Ada\",\"age\":36,\"x\":1}", false)]
    [InlineData("{\"name\":\"Ada\",", false)]
    [InlineData("no json at all", false)]
    public void JsonSchema_ParsesAndValidates(string output, bool passed)
    {
        Assert.Equal(passed, Score(new ScorerSpec { Type = ScorerKind.JsonSchema, Schema = PersonSchema }, output, null).Passed);
    }

    [Theory]
    [InlineData("{\"score\": 0.8, \"reason\": \"good\"}", 0.8)]
    [InlineData("{\"pass\": true}", 1.0)]
    [InlineData("{\"verdict\": \"FAIL\"}", 0.0)]
    [InlineData("Score: 7/10", 0.7)]
    [InlineData("score = 4 out of 5", 0.8)]
    [InlineData("Rating: 9", 0.9)]
    [InlineData("PASS - the response is correct", 1.0)]
    [InlineData("FAIL: misses the point", 0.0)]
    public void Judge_ParseScore(string text, double expected)
    {
        Assert.Equal(expected, JudgeScorer.ParseScore(text)!.Value, 6);
    }

    [Fact]
    public void Judge_UnreadableVerdict_Fails()
    {
        Assert.Null(JudgeScorer.ParseScore("hmm, hard to say"));
        Assert.False(JudgeScorer.Verdict("hmm", 0.5).Passed);
        Assert.True(JudgeScorer.Verdict("{\"score\":0.5}", 0.5).Passed);
    }

    [Fact]
    public void Judge_BuildMessages_FillsOutputRubricAndVars()
    {
        var judge = new JudgeSpec { Model = "judge", Messages = SuiteLoader.DefaultJudgePrompt(), Rubric = PromptTemplate.Parse("Mentions {{topic}}") };
        var c = EvalTestData.Case("ref", new Dictionary<string, string> { ["topic"] = "tides" });
        var msgs = JudgeScorer.BuildMessages(judge, c, "the moon pulls the sea", "ref", "Why tides?");
        Assert.Contains("Mentions tides", msgs[1].Content, StringComparison.Ordinal);
        Assert.Contains("the moon pulls the sea", msgs[1].Content, StringComparison.Ordinal);
        Assert.Contains("Why tides?", msgs[1].Content, StringComparison.Ordinal);
    }
}
