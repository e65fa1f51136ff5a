// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Forwarding;

/// <summary>What the gateway needs to know of a request body, read in one pass without building a DOM.</summary>
public struct ParsedRequest
{
    /// <summary>The <c>model</c> value.</summary>
    public string? Model;

    /// <summary>Start of the model string token (including the quote) in the body.</summary>
    public int ModelStart;

    /// <summary>Length of the model string token (including both quotes).</summary>
    public int ModelLength;

    /// <summary>Start of the <c>messages</c> (or <c>input</c>) value.</summary>
    public int MessagesStart;

    /// <summary>Length of the <c>messages</c> (or <c>input</c>) value.</summary>
    public int MessagesLength;

    /// <summary>Whether <c>stream</c> is true.</summary>
    public bool Stream;

    /// <summary>Whether <c>stream_options</c> is present (any value).</summary>
    public bool HasStreamOptions;

    /// <summary>Start of the <c>stream_options</c> value.</summary>
    public int StreamOptionsStart;

    /// <summary>Length of the <c>stream_options</c> value.</summary>
    public int StreamOptionsLength;

    /// <summary>Whether <c>stream_options.include_usage</c> is true.</summary>
    public bool IncludeUsage;

    /// <summary><c>n</c>, default 1.</summary>
    public int N;

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>; 0 when absent.</summary>
    public int MaxTokens;

    /// <summary><c>logprobs</c>.</summary>
    public bool Logprobs;

    /// <summary><c>top_logprobs</c>.</summary>
    public int TopLogprobs;

    /// <summary>Number of entries in <c>logit_bias</c>.</summary>
    public int LogitBiasCount;

    /// <summary><c>temperature</c>, NaN when absent.</summary>
    public double Temperature;

    /// <summary>Number of messages.</summary>
    public int MessageCount;

    /// <summary>Total characters of message text content (for token estimates).</summary>
    public int PromptChars;

    /// <summary>Responses API: <c>previous_response_id</c>, when given.</summary>
    public string? PreviousResponseId;
}
