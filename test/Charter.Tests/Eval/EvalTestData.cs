// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Tests.Eval;

/// <summary>Builders for suites and cases used across the eval tests.</summary>
internal static class EvalTestData
{
    public static EvalCase Case(string? expected = null, Dictionary<string, string>? vars = null, int index = 0)
        => new() { Index = index, Id = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Vars = vars ?? [], Expected = expected };

    /// <summary>A multiple-choice suite of n questions "Q{i}" whose answer is "ABCD"[i % 4].</summary>
    public static EvalSuite MultipleChoice(int n, params string[] models)
    {
        var cases = new List<EvalCase>(n);
        for (var i = 0; i < n; i++)
        {
            cases.Add(new EvalCase
            {
                Index = i,
                Id = "q" + i,
                Vars = new Dictionary<string, string> { ["q"] = "Q" + i },
                Expected = "ABCD"[i % 4].ToString(),
            });
        }

        return new EvalSuite
        {
            Name = "mc-test",
            Hash = "0123456789abcdef",
            Messages = [new ChatMessageTemplate("system", PromptTemplate.Parse("Answer with a letter.")), new ChatMessageTemplate("user", PromptTemplate.Parse("{{q}}"))],
            Cases = cases,
            Scorer = new ScorerSpec { Type = ScorerKind.Choice },
            Models = models,
            Prices = new Dictionary<string, ModelPrice> { ["good"] = new(1, 2) },
        };
    }

    /// <summary>Answers question Q{i} correctly when (i * 7 + model length) % 10 &lt; 10 × accuracy.</summary>
    public static string Answer(string model, string question, double accuracy)
    {
        var i = int.Parse(question.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        var correct = "ABCD"[i % 4];
        var right = ((i * 7) + model.Length) % 10 < accuracy * 10;
        return right ? $"The answer is ({correct})." : $"The answer is ({"ABCD"[(i + 1) % 4]}).";
    }
}
