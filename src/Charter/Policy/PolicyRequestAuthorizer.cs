// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Charter.Errors;
using Charter.Forwarding;
using Charter.Keys;
using Charter.Policy.Lifecycle;
using Charter.Routing;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>The authorizer used with a policy directory: lifecycle of key, team and account (from the in-memory cache),
/// granted purposes, and per-target policy (provider terms, organization rules) from <see cref="PolicyProvider.Current"/>.</summary>
public sealed partial class PolicyRequestAuthorizer : IRequestAuthorizer
{
    private readonly PolicyProvider _policy;
    private readonly LifecycleCache _cache;
    private readonly LifecycleCoordinator _lifecycle;
    private readonly KeyRegistry _keys;
    private readonly TimeProvider _time;
    private readonly PolicyGatewayOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RefusalWindow> _refusals = new(StringComparer.Ordinal);

    /// <summary>Creates the authorizer.</summary>
    public PolicyRequestAuthorizer(PolicyProvider policy, LifecycleCache cache, LifecycleCoordinator lifecycle, KeyRegistry keys, TimeProvider time,
        PolicyGatewayOptions options, ILogger<PolicyRequestAuthorizer> logger)
    {
        _policy = policy;
        _cache = cache;
        _lifecycle = lifecycle;
        _keys = keys;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc/>
    public string PolicyVersion => _policy.Current.Version;

    /// <inheritdoc/>
    public GateDecision CheckAccess(ApiKeyRecord key, TeamRecord? team, string purpose)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyLc = _cache.Get(EntityKind.Key, key.Id);
        var teamLc = team is null ? null : _cache.Get(EntityKind.Team, team.Id);
        var access = AccessCheck.Evaluate(keyLc, teamLc, null);
        if (!access.IsAllowed)
        {
            return FromCode(access.Code!, access.Message!, "lifecycle");
        }

        // States set outside the lifecycle machine (e.g. a revoke through the keys API) are on the records themselves.
        if ((keyLc is null && key.State != "active") || (team is not null && teamLc is null && team.State != "active"))
        {
            var basic = BasicRequestAuthorizer.Check(key, team, purpose);
            if (basic.Denied)
            {
                return basic;
            }
        }

        foreach (var p in key.Purposes)
        {
            if (string.Equals(p, purpose, StringComparison.Ordinal))
            {
                return GateDecision.Allow;
            }
        }

        return GateDecision.Deny(CharterError.PurposeNotGranted,
            $"The key {key.Id} is not granted the purpose '{purpose}' (granted: {string.Join(", ", key.Purposes)}).", "key.purposes");
    }

    /// <inheritdoc/>
    public GateDecision CheckTarget(ApiKeyRecord key, string purpose, RouteTarget target, string model, in ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(target);
        var account = target.Account;
        var accountLc = _cache.Get(EntityKind.Account, account.Id);
        if (accountLc is not null)
        {
            var access = AccessCheck.Evaluate(null, null, accountLc);
            if (!access.IsAllowed)
            {
                return FromCode(access.Code!, access.Message!, "lifecycle.account");
            }
        }

        var set = _policy.Current;
        var policyRequest = new PolicyRequest
        {
            KeyId = key.Id,
            TeamId = _keys.Team(key.TeamId)?.Name ?? key.TeamId,
            Purpose = purpose,
            Provider = ProviderKinds.TryParse(account.KindName, out var kind) ? kind.Value : ProviderKind.OpenAICompatible,
            AccountId = account.Id,
            Model = target.Model ?? model,
            Jurisdiction = key.Jurisdiction,
            N = request.N,
            MaxTokens = request.MaxTokens > 0 ? request.MaxTokens : null,
            Logprobs = request.Logprobs,
            TopLogprobs = request.TopLogprobs,
            LogitBiasCount = request.LogitBiasCount,
            Temperature = double.IsNaN(request.Temperature) ? null : request.Temperature,
            Stream = request.Stream,
            Timestamp = _time.GetUtcNow(),
        };
        var decision = set.Decide(in policyRequest);
        return decision.Effect switch
        {
            PolicyEffect.Deny => FromCode(decision.Code ?? PolicyDenyCodes.PolicyDenied, decision.Message ?? "The policy denies this request.", decision.RuleId),
            PolicyEffect.Flag => new GateDecision(CharterError.None, true, decision.RuleId, decision.Message),
            _ => GateDecision.Allow,
        };
    }

    /// <inheritdoc/>
    public void ReportUpstreamRefusal(RouteTarget target, int status, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (status is not (401 or 403) || !NamesSuspendedAccount(body))
        {
            return;
        }

        var id = target.Account.Id;
        var window = _refusals.GetOrAdd(id, static _ => new RefusalWindow());
        var now = _time.GetUtcNow();
        if (!window.Add(now, TimeSpan.FromSeconds(_options.RefusalWindowSeconds), Math.Max(1, _options.RefusalThreshold)))
        {
            return;
        }

        var current = _cache.Get(EntityKind.Account, id);
        if (current is not null && ((current.Holds & LifecycleHolds.ProviderSuspended) != 0 || current.IsTerminal))
        {
            return;
        }

        Log.PlacingHold(_logger, id, status);
        var reason = $"the upstream answered {status} naming a suspended or deactivated account {_options.RefusalThreshold} times within {_options.RefusalWindowSeconds} s";
        _ = PlaceHoldAsync(id, reason);
    }

    /// <summary>True when an upstream error body names a suspended, deactivated or disabled account (OpenAI's and Azure's
    /// wording, and Anthropic's "This organization has been disabled.").</summary>
    public static bool NamesSuspendedAccount(ReadOnlySpan<byte> body) =>
        body.IndexOf("suspended"u8) >= 0 || body.IndexOf("deactivated"u8) >= 0 || body.IndexOf("account_disabled"u8) >= 0
        || body.IndexOf("Suspended"u8) >= 0 || body.IndexOf("Deactivated"u8) >= 0
        || body.IndexOf("organization has been disabled"u8) >= 0 || body.IndexOf("account has been disabled"u8) >= 0;

    private async Task PlaceHoldAsync(string accountId, string reason)
    {
        try
        {
            var r = await _lifecycle.ApplyAsync(EntityKind.Account, accountId, LifecycleCommand.PlaceHold("upstream", LifecycleHolds.ProviderSuspended, reason)).ConfigureAwait(false);
            if (!r.Succeeded && r.Error.Code != "hold_already_placed")
            {
                Log.HoldFailed(_logger, accountId, r.Error.Message, null);
            }
        }
#pragma warning disable CA1031 // background work must not crash the process; the next refusal retries
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HoldFailed(_logger, accountId, "exception", ex);
        }
    }

    private static GateDecision FromCode(string code, string message, string? rule)
    {
        var error = code switch
        {
            PolicyDenyCodes.JurisdictionDenied => CharterError.JurisdictionDenied,
            PolicyDenyCodes.KeySuspended => CharterError.KeySuspended,
            PolicyDenyCodes.KeyBanned => CharterError.KeyBanned,
            PolicyDenyCodes.KeyRevoked => CharterError.KeyRevoked,
            PolicyDenyCodes.TeamSuspended => CharterError.TeamSuspended,
            PolicyDenyCodes.ProviderUnavailable => CharterError.ProviderUnavailable,
            PolicyDenyCodes.BudgetExceeded => CharterError.BudgetExceeded,
            PolicyDenyCodes.PurposeNotGranted => CharterError.PurposeNotGranted,
            _ => CharterError.PolicyDenied,
        };
        return GateDecision.Deny(error, message, rule, code);
    }

    private sealed class RefusalWindow
    {
        private readonly Lock _lock = new();
        private readonly Queue<DateTimeOffset> _times = new();

        /// <summary>Adds a refusal; true when the threshold is reached within the window.</summary>
        public bool Add(DateTimeOffset now, TimeSpan window, int threshold)
        {
            lock (_lock)
            {
                _times.Enqueue(now);
                while (_times.Count > 0 && now - _times.Peek() > window)
                {
                    _times.Dequeue();
                }

                if (_times.Count >= threshold)
                {
                    _times.Clear();
                    return true;
                }

                return false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Provider account {Account} answered {Status} naming a suspended account repeatedly; placing the provider_suspended hold.")]
        public static partial void PlacingHold(ILogger logger, string account, int status);

        [LoggerMessage(EventId = 3121, Level = LogLevel.Error, Message = "Could not place the provider_suspended hold on {Account}: {Message}")]
        public static partial void HoldFailed(ILogger logger, string account, string message, Exception? ex);
    }
}
