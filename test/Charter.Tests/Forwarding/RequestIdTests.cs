// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

/// <summary>Request ids: the OpenAI-like shape, uniqueness, and order by time (records append to the primary-key index).</summary>
public sealed class RequestIdTests
{
    [Fact]
    public void NewRequestId_ManyIds_ShapeUniqueAndTimeOrdered()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = new List<string>();
        for (var i = 0; i < 10_000; i++)
        {
            ids.Add(GatewayHandler.NewRequestId());
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.All(ids, id => Assert.Matches("^req_[0-9a-f]{24}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        for (var i = 1; i < ids.Count; i++)
        {
            // Ordinal order follows the millisecond prefix.
            Assert.True(string.CompareOrdinal(ids[i][..16], ids[i - 1][..16]) >= 0, $"{ids[i]} sorts before {ids[i - 1]}");
        }

        var ms = long.Parse(ids[0].AsSpan(4, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(ms, before, after);
        Assert.True(ids.Select(id => id[16..]).Distinct(StringComparer.Ordinal).Count() > 9_990, "the random part repeats");
    }
}
