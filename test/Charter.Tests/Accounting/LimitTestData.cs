// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Accounting;

internal static class LimitTestData
{
    /// <summary>A fixed instant in the middle of a UTC day, aligned to a window bucket.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? Start);

    public static LocalLimitStore Store(TimeProvider time, LimitsOptions? options = null) =>
        new(Options.Create(options ?? new LimitsOptions()), time);

    public static AdmissionRequest Request(LimitSet keyLimits, long tokens = 0, string key = "k1", string? team = null, LimitSet? teamLimits = null) =>
        new(key, keyLimits, team, teamLimits, tokens);
}
