// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Errors;
using Charter.Forwarding;
using Charter.Keys;
using Microsoft.AspNetCore.Http;

namespace Charter.Accounting;

/// <summary>Connects the request path to <see cref="IRateLimiter"/>: key and team limits, 429 with headers, budgets.</summary>
/// <remarks>
/// The prompt is tokenized (o200k, ~70 µs for 1.6 KB) only when a token-per-minute limit applies. A key or team with the
/// <c>budget</c> lifecycle hold is refused before any counter is touched; a refusal for a spent budget places that hold
/// (<see cref="BudgetHolds"/>, in the background).
/// </remarks>
public sealed class GatewayLimiter(IRateLimiter limiter, TokenEstimator estimator, SubjectLimits limits, BudgetHolds? holds = null) : IRequestLimiter
{
    /// <inheritdoc/>
    public async ValueTask<LimitAdmission> AdmitAsync(ApiKeyRecord key, ParsedRequest request, ReadOnlyMemory<byte> body, IHeaderDictionary responseHeaders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(responseHeaders);
        var keyLimits = limits.ForKey(key.Id);
        var teamLimits = limits.ForTeam(key.TeamId);
        if (keyLimits.IsUnlimited && teamLimits.IsUnlimited)
        {
            return default;
        }

        if (holds is not null && holds.TryGetHold(key.Id, key.TeamId, out var heldScope))
        {
            var heldId = heldScope == LimitScope.Team ? key.TeamId : key.Id;
            responseHeaders["retry-after"] = holds.RetryAfterSeconds(heldScope, heldId).ToString(CultureInfo.InvariantCulture);
            var noun = heldScope == LimitScope.Team ? "team" : "key";
            return new LimitAdmission(GateDecision.Deny(CharterError.BudgetExceeded,
                $"The {noun} {heldId} has the budget hold: its budget is spent; it is cleared when the period resets or an admin raises the budget.", "lifecycle.budget"), null);
        }

        long estimate = 0;
        // A call without a body (a stored response fetched or deleted) generates nothing: it counts as a request only.
        if (!body.IsEmpty && (keyLimits.TokensPerMinute > 0 || teamLimits.TokensPerMinute > 0))
        {
            estimate = estimator.EstimateChat(body.Span).AdmissionTokens;
        }

        var decision = await limiter.AcquireAsync(new AdmissionRequest(key.Id, keyLimits, key.TeamId, teamLimits, estimate), cancellationToken).ConfigureAwait(false);
        decision.Headers.WriteTo(responseHeaders);
        if (decision.Allowed)
        {
            return new LimitAdmission(GateDecision.Allow, decision.Lease);
        }

        if (decision.Limit == LimitKind.Unavailable)
        {
            return new LimitAdmission(GateDecision.Deny(CharterError.ProviderUnavailable,
                "Shared limits are unavailable (Redis cannot be reached) and the policy is fail_closed.", "limits.on_redis_failure", "charter_limits_unavailable"), null);
        }

        responseHeaders["retry-after"] = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var scope = decision.Scope == LimitScope.Team ? $"team {key.TeamId}" : $"key {key.Id}";
        if (decision.IsBudget)
        {
            holds?.OnRefused(decision.Limit, decision.Scope, decision.Scope == LimitScope.Team ? key.TeamId : key.Id);
        }

        return decision.IsBudget
            ? new LimitAdmission(GateDecision.Deny(CharterError.BudgetExceeded, $"The {Describe(decision.Limit)} of {scope} is spent; it resets with the period or when an admin raises it.", "limits." + decision.Limit), null)
            : new LimitAdmission(GateDecision.Deny(CharterError.RateLimited, $"Rate limit reached for {scope}: {Describe(decision.Limit)}. Retry after {decision.RetryAfterSeconds} s.", "limits." + decision.Limit), null);
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(LimitAdmission admission, int promptTokens, int completionTokens, long costNanos) =>
        admission.Lease is LimitLease lease ? limiter.CompleteAsync(lease, promptTokens + completionTokens, costNanos) : ValueTask.CompletedTask;

    private static string Describe(LimitKind kind) => kind switch
    {
        LimitKind.RequestsPerMinute => "requests per minute",
        LimitKind.TokensPerMinute => "tokens per minute",
        LimitKind.ConcurrentRequests => "concurrent requests",
        LimitKind.DailyBudget => "daily budget",
        LimitKind.MonthlyBudget => "monthly budget",
        _ => kind.ToString(),
    };
}
