// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Errors of the Anthropic route; written as <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
/// <remarks><see cref="SimError.Type"/> holds Anthropic's error type; <c>Param</c> and <c>Code</c> are not written.</remarks>
internal static class AnthropicErrors
{
    public static readonly SimError Malformed = Invalid("There was an error parsing the body of your request: it is not valid JSON.");

    public static readonly SimError MissingVersion = Invalid("anthropic-version header is required");

    public static readonly SimError MissingKey = new(401, "x-api-key header is required", "authentication_error", null, null);

    public static readonly SimError ServerError = new(500, "Internal server error (simulated)", "api_error", null, null);

    public static readonly SimError StreamError = new(500, "Internal server error (simulated, mid-stream)", "api_error", null, null);

    /// <remarks>Same key words as <see cref="SimError.Suspended"/> ("suspended", "deactivated"): the gateway detects suspensions from the text.</remarks>
    public static readonly SimError Suspended = new(
        403,
        "Your organization has been disabled: this account has been suspended (deactivated) pending review of a possible violation of our usage policies. If you believe this is an error, contact support. (simulated)",
        "permission_error",
        null,
        null);

    public static readonly SimError Overloaded = new(529, "Overloaded (simulated)", "overloaded_error", null, null);

    public static SimError RateLimited(int retryAfterSeconds) => new(
        429,
        $"This request would exceed the rate limit for your organization (simulated). Please try again in {retryAfterSeconds}s.",
        "rate_limit_error",
        null,
        null);

    /// <summary>400 <c>invalid_request_error</c> with <paramref name="message"/>.</summary>
    public static SimError Invalid(string message) => new(400, message, "invalid_request_error", null, null);

    /// <summary>400 <c>"{field}: Field required"</c>.</summary>
    public static SimError Missing(string field) => Invalid($"{field}: Field required");

    /// <summary>400 <c>"{field}: {message}"</c>.</summary>
    public static SimError Field(string field, string message) => Invalid($"{field}: {message}");
}
