// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Errors;

/// <summary>Expected failures on the request path; mapped to OpenAI-shaped errors by <see cref="OpenAiErrorWriter"/>.</summary>
public enum CharterError
{
    None = 0,
    InvalidApiKey,
    MalformedJson,
    InvalidRequest,
    InvalidUtf8,
    BodyTooLarge,
    ModelNotFound,
    ModelNotAllowed,
    PurposeNotGranted,
    PolicyDenied,
    JurisdictionDenied,
    KeySuspended,
    KeyBanned,
    KeyRevoked,
    TeamSuspended,
    ProviderUnavailable,
    RateLimited,
    BudgetExceeded,
    UpstreamError,
    UpstreamTimeout,
    ClientDisconnected,
    Unauthorized,
    Forbidden,
    UnknownUrl,
    MethodNotAllowed,
    UnsupportedContentEncoding,
    KeyExpired,
    ResponseNotFound,
}
