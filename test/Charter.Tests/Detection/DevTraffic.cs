// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;
using Charter.Tests.Common;

namespace Charter.Tests.Detection;

/// <summary>Locates and caches the labelled development traffic (../shared/traffic/dev or CHARTER_DEV_TRAFFIC).</summary>
internal static class DevTraffic
{
    private static readonly Lazy<(List<DetectionRecord> Records, IReadOnlyList<DetectionLabel> Labels)?> Data = new(Load);

    public static (List<DetectionRecord> Records, IReadOnlyList<DetectionLabel> Labels) Get()
    {
        var data = Data.Value;
        if (data is null)
        {
            Assert.Skip("development traffic not found (set CHARTER_DEV_TRAFFIC to the folder holding records.jsonl.gz and labels.jsonl)");
        }

        return data.Value;
    }

    private static (List<DetectionRecord>, IReadOnlyList<DetectionLabel>)? Load()
    {
        string? dir = Environment.GetEnvironmentVariable("CHARTER_DEV_TRAFFIC");
        dir ??= Path.GetDirectoryName(RepoPaths.FindUpwards(Path.Combine("shared", "traffic", "dev", "records.jsonl.gz")));

        if (dir is null || !File.Exists(Path.Combine(dir, "records.jsonl.gz")) || !File.Exists(Path.Combine(dir, "labels.jsonl")))
        {
            return null;
        }

        var records = DetectionRecordParser.ReadFile(Path.Combine(dir, "records.jsonl.gz")).ToList();
        var labels = DetectionLabel.ReadFile(Path.Combine(dir, "labels.jsonl"));
        return (records, labels);
    }
}
