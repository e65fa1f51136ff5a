// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>OpenAI's legacy <c>POST /v1/completions</c> (and the Azure classic and v1 forms), after the checks and faults shared with chat.</summary>
    /// <remarks>
    /// Each prompt is answered as the chat route answers a conversation of one user message with the prompt's text (a prompt of token
    /// ids is rendered as text first, see <see cref="CompletionPrompt.RenderTokenId"/>), so the text is chat's for the same model and
    /// <c>prompt_tokens</c> is chat's (3 + 3 + the text's tokens, or the number of ids) summed over the prompts. <c>max_tokens</c>
    /// (default 16, as on OpenAI) cuts it; <c>n</c> choices per prompt, indexed prompt-major. With <c>best_of</c> each prompt has
    /// <c>best_of</c> candidates, the <c>n</c> with the highest mean token log-probability are returned (in candidate order), and
    /// <c>completion_tokens</c> counts every candidate, as OpenAI bills them.
    /// </remarks>
    private SimResponse Completions(in SimRequest request, in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence, bool drop, bool streamError)
    {
        var parsed = new CompletionRequest();
        var error = CompletionRequest.Parse(body, parsed, request.Flavor != SimFlavor.AzureClassic);
        if (error is not null)
        {
            return Error(error, requestId);
        }

        var model = request.Flavor == SimFlavor.AzureClassic ? request.Deployment! : parsed.Model!;
        // Ids are unique across simulators, as a provider's are (like the Responses API's); the text stays deterministic.
        var id = ResponseId("cmpl-sim", sequence, config.Seed ^ _idSalt);
        var azure = request.Flavor != SimFlavor.OpenAI && config.Options.AzureContentFilterAnnotations;
        var completion = ComposeCompletion(parsed, model, config, id, _time.GetUtcNow().ToUnixTimeSeconds(), azure);
        if (parsed.Stream)
        {
            return new SimResponse
            {
                RequestId = requestId,
                Stream = new CompletionStream(completion, _time, config.TimeToFirstToken, config.Options.TokensPerSecond, drop, streamError),
            };
        }

        return Json(requestId, static (w, c) => CompletionWriter.WriteCompletion(w, c), completion, config.WholeAnswerDelay(completion.Steps), drop);
    }

    private static TextCompletion ComposeCompletion(CompletionRequest request, string model, SimConfig config, string id, long created, bool azure)
    {
        var n = request.N;
        var prompts = request.Prompts.ToArray();
        var choices = new ChoicePlan[prompts.Length * n];
        var chat = new ChatRequest { N = request.BestOf ?? n };
        var promptTokens = 0;
        var completionTokens = 0;
        for (var p = 0; p < prompts.Length; p++)
        {
            var prompt = prompts[p];
            chat.SummarizeUserMessage(prompt.Text, prompt.ContentTokens);
            prompt.Hash = chat.PromptHash;
            promptTokens += chat.PromptTokens;
            var candidates = Plan(chat, model, config);
            for (var i = 0; i < candidates.Length; i++)
            {
                if (candidates[i].Count > request.MaxTokens)
                {
                    candidates[i] = candidates[i] with { Count = request.MaxTokens, Truncated = true };
                }

                completionTokens += candidates[i].Count;
            }

            SelectBest(candidates, choices.AsSpan(p * n, n));
        }

        return new TextCompletion
        {
            Id = id,
            Created = created,
            Model = model,
            Prompts = prompts,
            Choices = choices,
            N = n,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            Logprobs = request.Logprobs,
            Echo = request.Echo,
            IncludeUsage = request.IncludeUsage,
            AzureAnnotations = azure,
        };
    }

    /// <summary>Fills <paramref name="best"/> with the candidates of highest mean token log-probability ("the best", as <c>best_of</c>
    /// defines it; ties to the earlier), in candidate order.</summary>
    private static void SelectBest(ChoicePlan[] candidates, Span<ChoicePlan> best)
    {
        if (candidates.Length == best.Length)
        {
            candidates.CopyTo(best);
            return;
        }

        Span<double> scores = stackalloc double[CompletionRequest.MaxBestOf];
        for (var c = 0; c < candidates.Length; c++)
        {
            var plan = candidates[c];
            var sum = 0.0;
            for (var t = 0; t < plan.Count; t++)
            {
                sum += SimText.LogProb(plan.Hash, t);
            }

            scores[c] = plan.Count == 0 ? 0 : sum / plan.Count;
        }

        var k = 0;
        for (var c = 0; c < candidates.Length; c++)
        {
            var better = 0;
            for (var o = 0; o < candidates.Length; o++)
            {
                if (scores[o] > scores[c] || (scores[o] == scores[c] && o < c))
                {
                    better++;
                }
            }

            if (better < best.Length)
            {
                best[k++] = candidates[c];
            }
        }
    }
}
