// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Sim;

/// <summary>An error answered in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record SimError(int Status, string Message, string? Type, string? Param, string? Code)
{
    public static readonly SimError Malformed = new(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        "invalid_request_error",
        null,
        null);

    public static readonly SimError ServerError = new(
        500,
        "The server had an error while processing your request. Sorry about that! (simulated)",
        "server_error",
        null,
        null);

    public static readonly SimError StreamError = new(
        500,
        "The server had an error while processing your request. Sorry about that! (simulated, mid-stream)",
        "server_error",
        null,
        null);

    public static readonly SimError Suspended = new(
        403,
        "Your account has been suspended (deactivated) pending review of a possible violation of our usage policies. If you believe this is an error, contact support. (simulated)",
        "invalid_request_error",
        null,
        "account_deactivated");

    public static readonly SimError Overloaded = new(
        503,
        "The engine is currently overloaded, please try again later. (simulated)",
        "server_error",
        null,
        null);

    /// <summary>No <c>model</c> (chat, legacy completions, embeddings): OpenAI's words, without a <c>param</c>.</summary>
    public static readonly SimError MissingModel = new(400, "you must provide a model parameter", "invalid_request_error", null, null);

    /// <summary><c>stream_options</c> without <c>stream:true</c> (chat, legacy completions).</summary>
    public static readonly SimError StreamOptionsWithoutStream = new(
        400,
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        "invalid_request_error",
        "stream_options",
        null);

    /// <summary><c>n</c> outside 1..128 (chat, legacy completions).</summary>
    public static SimError NOutOfRange(int n) => InvalidValue("n", string.Create(CultureInfo.InvariantCulture, $"expected a value between 1 and 128, but got {n} instead."));

    public static SimError RateLimited(int retryAfterSeconds) => new(
        429,
        $"Rate limit reached for requests (simulated). Please try again in {retryAfterSeconds}s.",
        "requests",
        null,
        "rate_limit_exceeded");

    public static SimError InvalidType(string param, string expected) => new(
        400,
        $"Invalid type for '{param}': expected {expected}.",
        "invalid_request_error",
        param,
        "invalid_type");

    public static SimError InvalidValue(string param, string message) => new(
        400,
        $"Invalid '{param}': {message}",
        "invalid_request_error",
        param,
        "invalid_value");

    public static SimError Missing(string param) => new(
        400,
        $"Missing required parameter: '{param}'.",
        "invalid_request_error",
        param,
        "missing_required_parameter");
}
