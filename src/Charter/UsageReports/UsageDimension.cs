// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.UsageReports;

/// <summary>A column usage can be grouped by.</summary>
public enum UsageDimension
{
    /// <summary>The API key id.</summary>
    Key = 0,

    /// <summary>The team id.</summary>
    Team = 1,

    /// <summary>The model the client asked for.</summary>
    Model = 2,

    /// <summary>The declared purpose.</summary>
    Purpose = 3,

    /// <summary>The UTC calendar day (<c>yyyy-MM-dd</c>).</summary>
    Day = 4,
}
