// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>OpenAI's <c>POST /v1/moderations</c> (no Azure form: Azure OpenAI has no moderations endpoint), after the checks and
    /// faults shared with the other routes.</summary>
    /// <remarks>
    /// One result per input string, or one for a whole multi-modal array, as OpenAI answers; scores and flags are deterministic (see
    /// <see cref="ModerationWriter"/> and the marker words of <see cref="ModerationCategories"/>). The answer waits for the time to first
    /// token, as embeddings do; it has no usage, as the API has none.
    /// </remarks>
    private SimResponse Moderations(in ReadOnlySequence<byte> body, SimConfig config, string requestId, ulong sequence, bool drop)
    {
        var parsed = new ModerationRequest();
        var error = ModerationRequest.Parse(body, parsed);
        if (error is not null)
        {
            return Error(error, requestId);
        }

        // Ids are unique across simulators, as a provider's are (like the completions ids); the scores stay deterministic.
        var id = ResponseId("modr-sim", sequence, config.Seed ^ _idSalt);
        return Json(
            requestId,
            static (w, state) => ModerationWriter.Write(w, state.id, state.parsed, state.Seed),
            (id, parsed, config.Seed),
            config.TimeToFirstToken,
            drop);
    }
}
