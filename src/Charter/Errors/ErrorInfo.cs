// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Errors;

/// <summary>Static description of how a <see cref="CharterError"/> appears on the wire.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Type">OpenAI error <c>type</c>.</param>
/// <param name="Code">OpenAI error <c>code</c>.</param>
public readonly record struct ErrorInfo(int Status, string Type, string Code)
{
    /// <summary>Gets the wire description of an error.</summary>
    public static ErrorInfo For(CharterError error) => error switch
    {
        CharterError.InvalidApiKey => new(401, "invalid_request_error", "invalid_api_key"),
        CharterError.Unauthorized => new(401, "invalid_request_error", "invalid_api_key"),
        CharterError.Forbidden => new(403, "permission_error", "insufficient_role"),
        CharterError.MalformedJson => new(400, "invalid_request_error", "invalid_json"),
        CharterError.InvalidRequest => new(400, "invalid_request_error", "invalid_value"),
        CharterError.InvalidUtf8 => new(400, "invalid_request_error", "invalid_encoding"),
        CharterError.BodyTooLarge => new(413, "invalid_request_error", "request_too_large"),
        CharterError.ModelNotFound => new(404, "invalid_request_error", "model_not_found"),
        CharterError.ModelNotAllowed => new(403, "permission_error", "charter_model_not_allowed"),
        CharterError.PurposeNotGranted => new(403, "permission_error", "charter_purpose_not_granted"),
        CharterError.PolicyDenied => new(403, "permission_error", "charter_policy_denied"),
        CharterError.JurisdictionDenied => new(403, "permission_error", "charter_jurisdiction_denied"),
        CharterError.KeySuspended => new(403, "permission_error", "charter_key_suspended"),
        CharterError.KeyBanned => new(403, "permission_error", "charter_key_banned"),
        CharterError.KeyRevoked => new(401, "invalid_request_error", "invalid_api_key"),
        CharterError.KeyExpired => new(401, "invalid_request_error", "invalid_api_key"),
        CharterError.TeamSuspended => new(403, "permission_error", "charter_team_suspended"),
        CharterError.ProviderUnavailable => new(403, "permission_error", "charter_provider_unavailable"),
        CharterError.RateLimited => new(429, "rate_limit_error", "rate_limit_exceeded"),
        CharterError.BudgetExceeded => new(429, "rate_limit_error", "charter_budget_exceeded"),
        CharterError.UpstreamError => new(502, "api_error", "upstream_error"),
        CharterError.UpstreamTimeout => new(504, "api_error", "upstream_timeout"),
        CharterError.ClientDisconnected => new(499, "api_error", "client_disconnected"),
        CharterError.UnknownUrl => new(404, "invalid_request_error", "unknown_url"),
        CharterError.MethodNotAllowed => new(405, "invalid_request_error", "method_not_allowed"),
        CharterError.UnsupportedContentEncoding => new(415, "invalid_request_error", "unsupported_content_encoding"),
        CharterError.ResponseNotFound => new(404, "invalid_request_error", "response_not_found"),
        _ => new(500, "api_error", "internal_error"),
    };
}
