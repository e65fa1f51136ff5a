// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.UsageReports;

/// <summary>Parses <c>group_by</c> lists (<c>team,model,purpose</c>) and time bounds shared by the API and the CLI.</summary>
public static class UsageGrouping
{
    /// <summary>The accepted dimension names.</summary>
    public const string Names = "key, team, model, purpose, day";

    /// <summary>Parses a comma-separated list; duplicates are dropped, order is kept. Null/empty gives no grouping.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<UsageDimension> dimensions, out string? error)
    {
        var list = new List<UsageDimension>();
        dimensions = list;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            UsageDimension? d = part.ToLowerInvariant() switch
            {
                "key" or "key_id" => UsageDimension.Key,
                "team" or "team_id" => UsageDimension.Team,
                "model" => UsageDimension.Model,
                "purpose" => UsageDimension.Purpose,
                "day" or "date" => UsageDimension.Day,
                _ => null,
            };
            if (d is null)
            {
                error = $"Unknown group_by '{part}' (expected a comma-separated subset of {Names}).";
                return false;
            }

            if (!list.Contains(d.Value))
            {
                list.Add(d.Value);
            }
        }

        return true;
    }

    /// <summary>Parses a time bound: an ISO 8601 instant, or a date (<c>yyyy-MM-dd</c>, UTC midnight). Null/empty gives null.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = $"'{text}' is not a date (yyyy-MM-dd) or an ISO 8601 time.";
        return false;
    }

    /// <summary>The wire name of a dimension.</summary>
    public static string Name(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Key => "key",
        UsageDimension.Team => "team",
        UsageDimension.Model => "model",
        UsageDimension.Purpose => "purpose",
        _ => "day",
    };
}
