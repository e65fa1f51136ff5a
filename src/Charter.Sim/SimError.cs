// Copyright (c) Charter contributors. Licensed under the MIT License.

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
