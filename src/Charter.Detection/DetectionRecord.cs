// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>
/// The part of a request log record (v1) that the detection engine reads. Build it from the gateway's request
/// record online, or parse it from a JSON Lines log with <see cref="DetectionRecordParser"/> offline.
/// </summary>
public sealed record DetectionRecord
{
    /// <summary>Record timestamp in Unix milliseconds (UTC). The engine uses record time only, never the clock.</summary>
    public required long TimestampMs { get; init; }

    public required string Key { get; init; }

    public required string Team { get; init; }

    public string Provider { get; init; } = "";

    public string Model { get; init; } = "";

    /// <summary>Declared purpose (header `Charter-Purpose` or the key's default).</summary>
    public string Purpose { get; init; } = "";

    public string Endpoint { get; init; } = "chat.completions";

    /// <summary>Text of the user messages (concatenated with newlines); only analysed, never stored by the engine.</summary>
    public string PromptText { get; init; } = "";

    /// <summary>True when the request carries a system (or developer) message.</summary>
    public bool HasSystemPrompt { get; init; }

    /// <summary>True when the request carries the OpenAI `user` end-user identifier.</summary>
    public bool HasEndUser { get; init; }

    /// <summary>`max_tokens` or `max_completion_tokens`; 0 when absent.</summary>
    public int MaxTokens { get; init; }

    /// <summary>`n`; 1 when absent.</summary>
    public int N { get; init; } = 1;

    /// <summary>`temperature`; NaN when absent.</summary>
    public float Temperature { get; init; } = float.NaN;

    /// <summary>`top_p`; NaN when absent.</summary>
    public float TopP { get; init; } = float.NaN;

    /// <summary>`seed`; null when absent.</summary>
    public long? Seed { get; init; }

    public bool Logprobs { get; init; }

    /// <summary>`top_logprobs`; 0 when absent.</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Number of entries of the `logit_bias` map.</summary>
    public int LogitBiasCount { get; init; }

    public bool Stream { get; init; }

    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int Status { get; init; } = 200;

    /// <summary>Request id when the log carries one (`request_id` or `id`).</summary>
    public string? RequestId { get; init; }

    /// <summary>Evaluation run id (`Charter-Eval-Run` header, field `eval_run`).</summary>
    public string? EvalRunId { get; init; }
}
