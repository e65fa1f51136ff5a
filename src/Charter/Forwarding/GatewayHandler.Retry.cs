// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Net.Http.Headers;

namespace Charter.Forwarding;

/// <summary>Retries on the same account: how long to wait first.</summary>
public sealed partial class GatewayHandler
{
    // The wait before retry number attempt (1, 2, …) on the same account: what the upstream's last answer asked for
    // (retry-after-ms, retry-after in seconds or as a date), else the backoff doubled per retry with up to a quarter less
    // at random; null when the upstream asked for more than Gateway:MaxRetryWaitMs (its answer goes to the client).
    private TimeSpan? RetryWait(int attempt, HttpResponseMessage? lastResponse)
    {
        var max = TimeSpan.FromMilliseconds(_options.MaxRetryWaitMs);
        if (lastResponse is not null && AskedWait(lastResponse, _time.GetUtcNow()) is { } asked)
        {
            return asked <= max ? asked : null;
        }

        var backoff = _options.RetryBackoffMs * Math.Pow(2, attempt - 1) * (1 - (Random.Shared.NextDouble() / 4));
        return TimeSpan.FromMilliseconds(Math.Min(backoff, _options.MaxRetryWaitMs));
    }

    /// <summary>The wait an upstream answer asks for: <c>retry-after-ms</c> (OpenAI), else <c>retry-after</c> in seconds or
    /// as an HTTP date; null when it names none.</summary>
    internal static TimeSpan? AskedWait(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.NonValidated.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0 && double.IsFinite(milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.NonValidated.TryGetValues("retry-after", out var value)
            || !RetryConditionHeaderValue.TryParse(value.ToString(), out var retryAfter))
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }
}
