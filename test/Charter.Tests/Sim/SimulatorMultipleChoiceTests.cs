// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

public sealed class SimulatorMultipleChoiceTests
{
    [Theory]
    [InlineData("Which?\nA) one\nB) two\nC) three\nD) four", 4)]
    [InlineData("Which?\n(A) one\n(B) two\n(C) three", 3)]
    [InlineData("Which?\n  A. one\n  B. two", 2)]
    [InlineData("Which?\nA: one\nB: two\nC: three\nD: four\nE: five\n\nAnswer:", 5)]
    [InlineData("Which is it? (A) red (B) green (C) blue (D) black", 4)]
    [InlineData("Tell me a story about A. Smith.", 0)]
    [InlineData("Just a question?", 0)]
    [InlineData("A) only one option", 0)]
    public void CountOptions_Formats_Recognised(string prompt, int expected)
    {
        Assert.Equal(expected, Simulator.CountOptions(prompt));
    }

    [Fact]
    public void ExpectedChoice_SameQuestion_SameLetterWithinRange()
    {
        var question = "What is 2+2?\nA) 3\nB) 4\nC) 5\nD) 6";

        var letter = Simulator.ExpectedChoice(question, 4);

        Assert.InRange(letter, 'A', 'D');
        Assert.Equal(letter, Simulator.ExpectedChoice("  " + question + "\n", 4));
    }

    [Fact]
    public void ExpectedAnswer_MultipleChoiceOrNot_LetterOrNull()
    {
        const string question = "Pick one:\nA) x\nB) y\nC) z";

        Assert.Equal(Simulator.ExpectedChoice(question, 3), Simulator.ExpectedAnswer(question));
        Assert.Null(Simulator.ExpectedAnswer("Not a multiple-choice question."));
    }

    [Fact]
    public void ExpectedChoice_ManyQuestions_EveryLetterUsed()
    {
        var counts = new int[4];
        for (var i = 0; i < 400; i++)
        {
            counts[Simulator.ExpectedChoice($"Question {i}\nA) a\nB) b\nC) c\nD) d", 4) - 'A']++;
        }

        Assert.All(counts, c => Assert.InRange(c, 60, 140));
    }

    [Fact]
    public async Task Answer_MultipleChoice_SaysTheAnswerIsLetter()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Pick one:\nA) x\nB) y\nC) z"));

        var text = SimulatorChatTests.Content(body, 0);
        Assert.Matches(@"^The answer is \([ABC]\)\.$", text);
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Answer_SimAnswerMetadataAndPerfectAccuracy_ThatLetter()
    {
        using var client = new SimTestClient(new SimulatorOptions { DefaultAccuracy = 1 });
        for (var i = 0; i < 20; i++)
        {
            var letter = (char)('A' + (i % 4));
            var question = $"Question {i}?\nA) a\nB) b\nC) c\nD) d";
            var (_, body, _) = await client.PostAsync(
                "/v1/chat/completions",
                SimTestClient.Chat(question, extra: $",\"metadata\":{{\"sim_answer\":\"{letter}\"}}"));

            Assert.Equal($"The answer is ({letter}).", SimulatorChatTests.Content(body, 0));
        }
    }

    [Fact]
    public async Task Answer_ZeroAccuracy_NeverTheExpectedChoice()
    {
        using var client = new SimTestClient(new SimulatorOptions { DefaultAccuracy = 0 });
        for (var i = 0; i < 50; i++)
        {
            var question = $"Question {i}?\nA) a\nB) b\nC) c\nD) d";
            var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat(question));

            Assert.NotEqual($"The answer is ({Simulator.ExpectedChoice(question, 4)}).", SimulatorChatTests.Content(body, 0));
        }
    }

    [Fact]
    public async Task Accuracy_TwoThousandQuestions_NearConfiguredPerModel()
    {
        var options = new SimulatorOptions { Accuracy = { ["gpt-4o"] = 0.85, ["gpt-4o-mini"] = 0.55 }, DefaultAccuracy = 0.7 };
        using var client = new SimTestClient(options);
        const int questions = 2000;
        var correct = new Dictionary<string, int> { ["gpt-4o"] = 0, ["gpt-4o-mini"] = 0, ["other-model"] = 0 };
        var repeat = new Dictionary<string, string>();
        for (var i = 0; i < questions; i++)
        {
            var question = $"Q{i}: which value is the largest?\nA) {i}\nB) {i * 7 % 13}\nC) {i % 5}\nD) {i / 3}";
            var expected = $"The answer is ({Simulator.ExpectedChoice(question, 4)}).";
            foreach (var model in correct.Keys)
            {
                var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat(question, model, ",\"max_tokens\":8"));
                var answer = SimulatorChatTests.Content(body, 0);
                correct[model] += answer == expected ? 1 : 0;
                if (i < 20)
                {
                    repeat[model + i] = answer;
                }
            }
        }

        Assert.InRange(correct["gpt-4o"] / (double)questions, 0.80, 0.90);
        Assert.InRange(correct["gpt-4o-mini"] / (double)questions, 0.50, 0.60);
        Assert.InRange(correct["other-model"] / (double)questions, 0.65, 0.75);

        // Deterministic per (model, question): asking again gives the same answer.
        for (var i = 0; i < 20; i++)
        {
            var question = $"Q{i}: which value is the largest?\nA) {i}\nB) {i * 7 % 13}\nC) {i % 5}\nD) {i / 3}";
            var (_, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat(question, "gpt-4o-mini"));
            Assert.Equal(repeat["gpt-4o-mini" + i], SimulatorChatTests.Content(body, 0));
        }
    }
}
