// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;

namespace Charter.Tests.Providers.Messages;

/// <summary>Reads the Messages API event streams the translators write.</summary>
internal static class MessagesEvents
{
    // Parses "event: t\ndata: {...}\n\n" events, checking the framing and that the data's type is the event's name.
    public static List<JsonElement> Events(string output)
    {
        var events = new List<JsonElement>();
        var blocks = output.Split("\n\n");
        Assert.Equal(string.Empty, blocks[^1]);
        foreach (var block in blocks[..^1])
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var document = JsonDocument.Parse(lines[1]["data: ".Length..]);
            var data = document.RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            events.Add(data);
        }

        return events;
    }

    public static string[] Types(List<JsonElement> events) => [.. events.Select(e => e.GetProperty("type").GetString()!)];

    // Rebuilds the message from the events as an Anthropic SDK accumulates it (content blocks by index, text and
    // partial_json appended, input parsed at content_block_stop), checking the index discipline on the way.
    public static JsonElement Accumulate(List<JsonElement> events)
    {
        Assert.Equal("message_start", events[0].GetProperty("type").GetString());
        Assert.Equal("message_stop", events[^1].GetProperty("type").GetString());
        var blocks = new List<Dictionary<string, object?>>();
        var json = new List<StringBuilder>();
        int open = -1;
        string? stopReason = null;
        JsonElement usage = default;
        foreach (var e in events.Skip(1).SkipLast(1))
        {
            switch (e.GetProperty("type").GetString())
            {
                case "content_block_start":
                    Assert.Equal(-1, open);
                    open = e.GetProperty("index").GetInt32();
                    Assert.Equal(blocks.Count, open);
                    var cb = e.GetProperty("content_block");
                    var block = new Dictionary<string, object?> { ["type"] = cb.GetProperty("type").GetString() };
                    if (cb.GetProperty("type").GetString() == "text")
                    {
                        Assert.Equal(string.Empty, cb.GetProperty("text").GetString());
                        block["text"] = string.Empty;
                    }
                    else
                    {
                        Assert.Equal("{}", cb.GetProperty("input").GetRawText());
                        block["id"] = cb.GetProperty("id").GetString();
                        block["name"] = cb.GetProperty("name").GetString();
                    }

                    blocks.Add(block);
                    json.Add(new StringBuilder());
                    break;
                case "content_block_delta":
                    var i = e.GetProperty("index").GetInt32();
                    Assert.Equal(open, i);
                    var delta = e.GetProperty("delta");
                    if (delta.GetProperty("type").GetString() == "text_delta")
                    {
                        Assert.Equal("text", blocks[i]["type"]);
                        blocks[i]["text"] = (string)blocks[i]["text"]! + delta.GetProperty("text").GetString();
                    }
                    else
                    {
                        Assert.Equal("input_json_delta", delta.GetProperty("type").GetString());
                        Assert.Equal("tool_use", blocks[i]["type"]);
                        json[i].Append(delta.GetProperty("partial_json").GetString());
                    }

                    break;
                case "content_block_stop":
                    Assert.Equal(open, e.GetProperty("index").GetInt32());
                    if ((string)blocks[open]["type"]! == "tool_use")
                    {
                        blocks[open]["input"] = JsonDocument.Parse(json[open].Length == 0 ? "{}" : json[open].ToString()).RootElement.Clone();
                    }

                    open = -1;
                    break;
                case "message_delta":
                    Assert.Equal(-1, open);
                    stopReason = e.GetProperty("delta").GetProperty("stop_reason").GetString();
                    Assert.Equal(JsonValueKind.Null, e.GetProperty("delta").GetProperty("stop_sequence").ValueKind);
                    usage = e.GetProperty("usage");
                    break;
                default:
                    Assert.Fail("Unexpected event " + e.GetRawText());
                    break;
            }
        }

        var message = events[0].GetProperty("message");
        var rebuilt = new Dictionary<string, object?>
        {
            ["id"] = message.GetProperty("id").GetString(),
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = message.GetProperty("model").GetString(),
            ["content"] = blocks,
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
            ["usage"] = usage,
        };
        return JsonSerializer.SerializeToElement(rebuilt);
    }
}
