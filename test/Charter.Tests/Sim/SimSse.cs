// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Tests.Sim;

/// <summary>Reads the simulator's named SSE streams (Anthropic's Messages API, the Responses API) in tests.</summary>
internal static class SimSse
{
    /// <summary>Parses named SSE events; asserts the framing (<c>event: X\ndata: {…}\n\n</c>).</summary>
    public static List<(string Type, JsonElement Data)> ParseNamedEvents(string sse)
    {
        Assert.EndsWith("\n\n", sse, StringComparison.Ordinal);
        var events = new List<(string, JsonElement)>();
        foreach (var block in sse[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(lines[1]["data: ".Length..]);
            events.Add((lines[0]["event: ".Length..], doc.RootElement.Clone()));
        }

        return events;
    }
}
