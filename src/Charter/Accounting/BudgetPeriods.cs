// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>UTC budget periods: day and calendar-month numbers and when they end.</summary>
public static class BudgetPeriods
{
    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public static long DayIndex(long unixMs) => unixMs / 86_400_000;

    /// <summary>Months since 1970-01 (UTC).</summary>
    public static long MonthIndex(DateTimeOffset utc) => ((utc.Year - 1970) * 12L) + utc.Month - 1;

    /// <summary>Time until the next UTC midnight.</summary>
    public static TimeSpan UntilDayEnd(long unixMs) => TimeSpan.FromMilliseconds(((DayIndex(unixMs) + 1) * 86_400_000) - unixMs);

    /// <summary>Time until the first instant of the next UTC month.</summary>
    public static TimeSpan UntilMonthEnd(DateTimeOffset utc)
    {
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return start.AddMonths(1) - utc;
    }
}
