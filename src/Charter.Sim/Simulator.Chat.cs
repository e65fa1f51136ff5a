// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>The option the simulator treats as correct when the request names none (0-based letter: 'A', 'B', …).</summary>
    /// <remarks>
    /// Multiple-choice convention. The correct option of a question is, in order of preference:
    /// <list type="number">
    /// <item>the request's <c>metadata.sim_answer</c> (a letter, e.g. <c>{"metadata":{"sim_answer":"B"}}</c>);</item>
    /// <item>otherwise <c>ExpectedChoice(lastUserMessage, optionCount)</c>: FNV-1a 64 of the UTF-8 of the last user
    /// message's text with surrounding white space trimmed, SplitMix64-mixed, modulo the option count.</item>
    /// </list>
    /// A model answers "The answer is (X)." with X correct with probability <see cref="SimulatorOptions.Accuracy"/>
    /// (deterministically per model, question and seed), and otherwise one of the wrong options.
    /// </remarks>
    /// <param name="question">The full text of the last user message (the rendered prompt with its options).</param>
    /// <param name="optionCount">Number of options (2..10); see <see cref="CountOptions"/>.</param>
    public static char ExpectedChoice(string question, int optionCount)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfLessThan(optionCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(optionCount, MultipleChoice.MaxOptions);
        return (char)('A' + ExpectedIndex(question, optionCount));
    }

    /// <summary>The option the simulator treats as correct for <paramref name="prompt"/>, or null when it is not multiple choice.</summary>
    /// <remarks>Equivalent to <c>ExpectedChoice(prompt, CountOptions(prompt))</c>; ignores <c>metadata.sim_answer</c>.</remarks>
    public static char? ExpectedAnswer(string prompt)
    {
        var count = CountOptions(prompt);
        return count == 0 ? null : ExpectedChoice(prompt, count);
    }

    /// <summary>Number of options (2..10) the simulator recognises in a prompt, or 0 when it is not multiple choice.</summary>
    /// <remarks>Options are lines starting with <c>A)</c>, <c>(A)</c>, <c>A.</c> or <c>A:</c> in order from A, or inline <c>(A) … (B) …</c>.</remarks>
    public static int CountOptions(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return MultipleChoice.CountOptions(question);
    }

    private static int ExpectedIndex(string question, int optionCount) =>
        (int)(SimHash.Mix(SimHash.OfString(question.Trim())) % (ulong)optionCount);

    private SimResponse Chat(in SimRequest request, in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence, bool drop, bool streamError)
    {
        var chat = new ChatRequest();
        var error = ChatRequest.Parse(body, chat, request.Flavor != SimFlavor.AzureClassic);
        if (error is not null)
        {
            return Error(error, requestId);
        }

        var model = request.Flavor == SimFlavor.AzureClassic ? request.Deployment! : chat.Model!;
        var completion = new ChatCompletion
        {
            Id = CompletionId(sequence, config.Seed ^ _idSalt), // unique across simulators, as a provider's ids are
            Created = _time.GetUtcNow().ToUnixTimeSeconds(),
            Model = model,
            Choices = Plan(chat, model, config),
            PromptTokens = chat.PromptTokens,
            Logprobs = chat.Logprobs,
            TopLogprobs = chat.TopLogprobs,
            IncludeUsage = chat.IncludeUsage,
            AzureAnnotations = request.Flavor != SimFlavor.OpenAI && config.Options.AzureContentFilterAnnotations,
        };

        if (chat.Stream)
        {
            return new SimResponse
            {
                RequestId = requestId,
                Stream = new ChatStream(completion, _time, config.TimeToFirstToken, config.Options.TokensPerSecond, drop, streamError),
            };
        }

        return Json(requestId, static (w, c) => ChatWriter.WriteCompletion(w, c), completion, config.WholeAnswerDelay(completion.Steps), drop);
    }

    private SimResponse Embeddings(in SimRequest request, in ReadOnlySequence<byte> body, SimConfig config, string requestId, bool drop)
    {
        var embedding = new EmbeddingRequest();
        var error = EmbeddingRequest.Parse(body, embedding, request.Flavor != SimFlavor.AzureClassic);
        if (error is not null)
        {
            return Error(error, requestId);
        }

        var model = request.Flavor == SimFlavor.AzureClassic ? request.Deployment! : embedding.Model!;
        return Json(
            requestId,
            static (w, state) => EmbeddingWriter.Write(w, state.embedding, state.model, state.Seed),
            (embedding, model, config.Seed),
            config.TimeToFirstToken,
            drop);
    }

    private static ChoicePlan[] Plan(ChatRequest chat, string model, SimConfig config)
    {
        var plans = new ChoicePlan[chat.N];
        var modelHash = SimHash.OfString(model);
        var letter = ChooseLetter(chat, modelHash, model, config);
        var options = config.Options;
        var baseHash = SimHash.Combine(SimHash.Combine(chat.PromptHash, modelHash), config.Seed);
        var span = (ulong)(options.MaxCompletionTokens - options.MinCompletionTokens + 1);
        for (var i = 0; i < plans.Length; i++)
        {
            var hash = SimHash.Combine(baseHash, (ulong)i);
            var natural = letter >= 0 ? ChoicePlan.MultipleChoiceTokens : options.MinCompletionTokens + (int)(hash % span);
            var truncated = chat.MaxTokens > 0 && chat.MaxTokens < natural;
            plans[i] = new ChoicePlan(hash, truncated ? chat.MaxTokens : natural, truncated, letter);
        }

        return plans;
    }

    private static int ChooseLetter(ChatRequest chat, ulong modelHash, string model, SimConfig config)
    {
        var text = chat.LastUserText;
        if (string.IsNullOrEmpty(text))
        {
            return -1;
        }

        var count = MultipleChoice.CountOptions(text);
        if (count == 0)
        {
            return -1;
        }

        var correct = -1;
        if (chat.SimAnswer is { } answer)
        {
            var trimmed = answer.AsSpan().Trim().Trim("()");
            if (trimmed.Length == 1)
            {
                var index = char.ToUpperInvariant(trimmed[0]) - 'A';
                if ((uint)index < (uint)count)
                {
                    correct = index;
                }
            }
        }

        if (correct < 0)
        {
            correct = ExpectedIndex(text, count);
        }

        var questionHash = SimHash.OfString(text.Trim());
        var draw = SimHash.Combine(SimHash.Combine(questionHash, modelHash), config.Seed);
        if (SimHash.Unit(draw) < config.AccuracyFor(model))
        {
            return correct;
        }

        return (correct + 1 + (int)(SimHash.Mix(draw) % (ulong)(count - 1))) % count;
    }

    private static string CompletionId(ulong sequence, ulong seed) =>
        string.Create(29, SimHash.Mix(sequence + seed), static (span, value) =>
        {
            "chatcmpl-sim".CopyTo(span);
            value.TryFormat(span[12..], out _, "x16");
            span[28] = 'a';
        });
}
