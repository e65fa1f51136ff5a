// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Storage;
using Charter.Storage.Sqlite;

namespace Charter.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string> Db() => new("--db")
    {
        Description = "Database: a SQLite file (default charter.db) or a PostgreSQL URL",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHARTER__Storage__Database") ?? "charter.db",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };

    /// <summary><c>--expires</c>: a duration from now (<c>90d</c>, <c>12h</c>, <c>30m</c>) or an RFC 3339 time.</summary>
    public static Option<DateTimeOffset?> Expires() => new("--expires")
    {
        Description = "When the key stops working: a duration from now (90d, 12h, 30m) or a time (2027-01-31T00:00:00Z); default never",
        CustomParser = r => ParseExpiry(r.Tokens.Count > 0 ? r.Tokens[0].Value : null, TimeProvider.System.GetUtcNow(), out var error) ?? Fail(r, error),
    };

    /// <summary>Parses a duration: <c>0</c>, or a count of days, hours, minutes or seconds (<c>7d</c>, <c>12h</c>, <c>30m</c>, <c>90s</c>).</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        text = text?.Trim();
        if (text is "0")
        {
            return TimeSpan.Zero;
        }

        if (string.IsNullOrEmpty(text) || text[^1] is not ('d' or 'h' or 'm' or 's')
            || !long.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n > 100_000)
        {
            return null;
        }

        return text[^1] switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) };
    }

    /// <summary>Parses a duration from <paramref name="now"/> (<c>90d</c>, <c>12h</c>, <c>30m</c>, <c>90s</c>) or an RFC 3339 time;
    /// null with an error otherwise.</summary>
    public static DateTimeOffset? ParseExpiry(string? text, DateTimeOffset now, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "--expires needs a value.";
            return null;
        }

        text = text.Trim();
        if (ParseDuration(text) is { } span && span > TimeSpan.Zero)
        {
            return now + span;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        error = $"--expires '{text}' is neither a duration (90d, 12h, 30m) nor a time (2027-01-31T00:00:00Z).";
        return null;
    }

    private static DateTimeOffset? Fail(System.CommandLine.Parsing.ArgumentResult result, string? error)
    {
        result.AddError(error ?? "invalid --expires");
        return null;
    }

    public static async Task<IGatewayStore> OpenStoreAsync(string db, CancellationToken cancellationToken)
    {
        var store = StoreFactory.Create(db, retainContent: false);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}
