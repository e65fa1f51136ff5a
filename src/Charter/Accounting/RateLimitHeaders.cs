// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Charter.Accounting;

/// <summary>Values of the OpenAI-style x-ratelimit-* response headers for one decision.</summary>
/// <remarks>
/// Limits are per minute. Where both the key and its team have a limit, the values are those of the subject with
/// fewer remaining units (the binding one). A limit of 0 means "no such limit": its headers are not written.
/// Reset is the time until the window is empty again ("resets to its initial state"), as OpenAI defines it.
/// </remarks>
public readonly record struct RateLimitHeaders(
    long LimitRequests,
    long RemainingRequests,
    TimeSpan ResetRequests,
    long LimitTokens,
    long RemainingTokens,
    TimeSpan ResetTokens)
{
    /// <summary>Header name: request limit per minute.</summary>
    public const string LimitRequestsHeader = "x-ratelimit-limit-requests";

    /// <summary>Header name: requests left in the window.</summary>
    public const string RemainingRequestsHeader = "x-ratelimit-remaining-requests";

    /// <summary>Header name: time until the request window is empty.</summary>
    public const string ResetRequestsHeader = "x-ratelimit-reset-requests";

    /// <summary>Header name: token limit per minute.</summary>
    public const string LimitTokensHeader = "x-ratelimit-limit-tokens";

    /// <summary>Header name: tokens left in the window.</summary>
    public const string RemainingTokensHeader = "x-ratelimit-remaining-tokens";

    /// <summary>Header name: time until the token window is empty.</summary>
    public const string ResetTokensHeader = "x-ratelimit-reset-tokens";

    /// <summary>True when a request limit applies (request headers are written).</summary>
    public bool HasRequestLimit => LimitRequests > 0;

    /// <summary>True when a token limit applies (token headers are written).</summary>
    public bool HasTokenLimit => LimitTokens > 0;

    /// <summary>Writes the headers that apply (none when no per-minute limit is set).</summary>
    public void WriteTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (HasRequestLimit)
        {
            headers[LimitRequestsHeader] = LimitRequests.ToString(CultureInfo.InvariantCulture);
            headers[RemainingRequestsHeader] = RemainingRequests.ToString(CultureInfo.InvariantCulture);
            headers[ResetRequestsHeader] = FormatDuration(ResetRequests);
        }

        if (HasTokenLimit)
        {
            headers[LimitTokensHeader] = LimitTokens.ToString(CultureInfo.InvariantCulture);
            headers[RemainingTokensHeader] = RemainingTokens.ToString(CultureInfo.InvariantCulture);
            headers[ResetTokensHeader] = FormatDuration(ResetTokens);
        }
    }

    /// <summary>Formats a duration the way OpenAI does in reset headers: "12ms", "1s", "1.5s", "6m0s", "1h2m3s".</summary>
    public static string FormatDuration(TimeSpan value)
    {
        var totalMs = (long)Math.Ceiling(Math.Max(0, value.TotalMilliseconds));
        if (totalMs < 1000)
        {
            return totalMs.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = totalMs / 3_600_000;
        var minutes = totalMs / 60_000 % 60;
        var millis = totalMs % 60_000;
        var seconds = (millis / 1000m).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m{seconds}");
        }

        return minutes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds}") : seconds;
    }

    /// <summary>Combines a key's and its team's values: per dimension, the subject with fewer units remaining.</summary>
    public static RateLimitHeaders Pick(in RateLimitHeaders key, in RateLimitHeaders team)
    {
        var useTeamRequests = team.HasRequestLimit && (!key.HasRequestLimit || team.RemainingRequests < key.RemainingRequests);
        var useTeamTokens = team.HasTokenLimit && (!key.HasTokenLimit || team.RemainingTokens < key.RemainingTokens);
        var r = useTeamRequests ? team : key;
        var t = useTeamTokens ? team : key;
        return new RateLimitHeaders(r.LimitRequests, r.RemainingRequests, r.ResetRequests, t.LimitTokens, t.RemainingTokens, t.ResetTokens);
    }
}
