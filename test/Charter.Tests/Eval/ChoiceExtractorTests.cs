// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Scoring;

namespace Charter.Tests.Eval;

public sealed class ChoiceExtractorTests
{
    [Theory]
    [InlineData("B")]
    [InlineData("b")]
    [InlineData("(B)")]
    [InlineData("B.")]
    [InlineData("**B**")]
    [InlineData("The answer is (B).")]
    [InlineData("Answer: b")]
    [InlineData("B) Paris")]
    [InlineData("(B) Paris")]
    [InlineData("I think it's B because the capital of France is Paris.")]
    [InlineData("The correct answer is B.")]
    [InlineData("Final answer: B")]
    [InlineData("**Answer:** B")]
    [InlineData("Option B")]
    [InlineData("[B]")]
    [InlineData("\\boxed{B}")]
    [InlineData("answer is: **(B)**")]
    [InlineData("B - Paris")]
    [InlineData("I'd go with B.")]
    [InlineData("After considering A and C, the answer is B.")]
    [InlineData("B\n\nExplanation: A is wrong because Lyon is not the capital.")]
    [InlineData("The answer is `B`")]
    [InlineData("Let me think. A is a city in Italy, so no. The answer: B")]
    [InlineData("The best answer is option B")]
    public void Extract_CommonPhrasings_FindsB(string output)
    {
        Assert.Equal('B', ChoiceExtractor.Extract(output));
    }

    [Theory]
    [InlineData("I don't know.")]
    [InlineData("It could be A or C.")]
    [InlineData("")]
    [InlineData("A cat is not a dog.")]
    public void Extract_NoClearChoice_ReturnsNull(string output)
    {
        Assert.Null(ChoiceExtractor.Extract(output));
    }

    [Fact]
    public void Extract_LetterOutsideChoices_IsIgnored()
    {
        Assert.Null(ChoiceExtractor.Extract("The answer is E.", "ABCD"));
        Assert.Equal('E', ChoiceExtractor.Extract("The answer is E.", "ABCDE"));
    }

    [Fact]
    public void Extract_AnswerMarkerBeatsEarlierLetters()
    {
        Assert.Equal('D', ChoiceExtractor.Extract("A is tempting and C is close, but the answer is D"));
    }

    [Fact]
    public void Extract_LowercaseArticleAfterMarker_NotALetter()
    {
        Assert.Equal('C', ChoiceExtractor.Extract("The answer is a tricky one. I'd go with C."));
    }

    [Fact]
    public void Extract_OptionTextOnly_MatchesByText()
    {
        var options = new Dictionary<string, string> { ["A"] = "Lyon", ["B"] = "Paris", ["C"] = "Marseille", ["D"] = "Nice" };
        Assert.Equal('B', ChoiceExtractor.Extract("the capital is paris", "ABCD", options));
    }

    [Fact]
    public void OptionsOf_JsonChoicesArray_MapsLetters()
    {
        var vars = new Dictionary<string, string> { ["choices"] = "[\"x\",\"y\",\"z\"]" };
        var map = ChoiceExtractor.OptionsOf(vars, "ABCD");
        Assert.NotNull(map);
        Assert.Equal("y", map!["B"]);
    }
}
