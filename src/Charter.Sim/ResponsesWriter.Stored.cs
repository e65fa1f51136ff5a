// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;

namespace Charter.Sim;

/// <summary>The answers of the stored-response routes: the final response's bytes, the delete answer and <c>ResponseItemList</c>.</summary>
internal static partial class ResponsesWriter
{
    /// <summary>The final <c>Response</c> object as <see cref="WriteResponse"/> writes it (byte for byte what the whole answer or
    /// <c>response.completed</c> carries); synchronous, on the thread's writer.</summary>
    public static byte[] FinalResponseBytes(ResponsesAnswer a)
    {
        using var body = new PooledBufferWriter(2048);
        var w = Simulator.RentWriter(body);
        WriteResponse(w, a, final: true);
        w.Flush();
        return body.WrittenSpan.ToArray();
    }

    /// <summary><c>DELETE /v1/responses/{id}</c>: <c>{"id","object":"response","deleted":true}</c> (the spec's example; it names no schema).</summary>
    public static void WriteDeleted(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "response"u8);
        w.WriteBoolean("deleted"u8, true);
        w.WriteEndObject();
    }

    /// <summary>Spec <c>ResponseItemList</c>: <c>{"object":"list","data":[…],"first_id","last_id","has_more"}</c>, one page of the
    /// stored input's items (spec <c>ItemResource</c>: <c>InputMessageResource</c>, <c>OutputMessage</c> for assistant messages,
    /// <c>FunctionToolCallResource</c>, <c>FunctionToolCallOutputResource</c>), each with an <c>id</c> (the one sent, else a
    /// deterministic one) and a <c>status</c>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="stored">The stored response.</param>
    /// <param name="limit">Items at most (1–100).</param>
    /// <param name="ascending">Input order (<c>order=asc</c>); else newest first.</param>
    /// <param name="after">Start after the item of this id (in the chosen order); an id not in the list gives an empty page.</param>
    public static void WriteInputItems(Utf8JsonWriter w, StoredResponse stored, int limit, bool ascending, string? after)
    {
        using var doc = JsonDocument.Parse(stored.Input);
        var input = doc.RootElement;
        var count = input.ValueKind == JsonValueKind.Array ? input.GetArrayLength() : 1;
        var ids = new string[count];
        var salt = SimHash.OfString(stored.Id);
        for (var i = 0; i < count; i++)
        {
            ids[i] = ItemId(input.ValueKind == JsonValueKind.Array ? input[i] : input, salt, i);
        }

        var start = 0;
        if (after is not null)
        {
            start = count;
            for (var k = 0; k < count; k++)
            {
                if (string.Equals(ids[ascending ? k : count - 1 - k], after, StringComparison.Ordinal))
                {
                    start = k + 1;
                    break;
                }
            }
        }

        var end = Math.Min(count, start + limit);
        w.WriteStartObject();
        w.WriteString("object"u8, "list"u8);
        w.WriteStartArray("data"u8);
        for (var k = start; k < end; k++)
        {
            var i = ascending ? k : count - 1 - k;
            if (input.ValueKind == JsonValueKind.Array)
            {
                WriteInputItem(w, input[i], ids[i]);
            }
            else
            {
                WriteMessage(w, ids[i], "user", null, input);
            }
        }

        w.WriteEndArray();
        WriteId(w, "first_id"u8, end > start ? ids[ascending ? start : count - 1 - start] : null);
        WriteId(w, "last_id"u8, end > start ? ids[ascending ? end - 1 : count - end] : null);
        w.WriteBoolean("has_more"u8, end < count);
        w.WriteEndObject();
    }

    private static void WriteInputItem(Utf8JsonWriter w, JsonElement item, string id)
    {
        var type = item.TryGetProperty("type"u8, out var t) ? t.GetString() : "message";
        var status = item.TryGetProperty("status"u8, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : "completed";
        switch (type)
        {
            case "function_call":
                w.WriteStartObject();
                w.WriteString("id"u8, id);
                w.WriteString("type"u8, "function_call"u8);
                w.WriteString("status"u8, status);
                Copy(w, item, "arguments"u8);
                Copy(w, item, "call_id"u8);
                Copy(w, item, "name"u8);
                w.WriteEndObject();
                return;
            case "function_call_output":
                w.WriteStartObject();
                w.WriteString("id"u8, id);
                w.WriteString("type"u8, "function_call_output"u8);
                Copy(w, item, "call_id"u8);
                Copy(w, item, "output"u8);
                w.WriteString("status"u8, status);
                w.WriteEndObject();
                return;
            default:
                WriteMessage(w, id, item.GetProperty("role"u8).GetString()!, status, item.GetProperty("content"u8));
                return;
        }
    }

    /// <summary>A message item; string content becomes one <c>input_text</c> part (<c>output_text</c> for the assistant).</summary>
    private static void WriteMessage(Utf8JsonWriter w, string id, string role, string? status, JsonElement content)
    {
        var assistant = role == "assistant";
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, role);
        w.WriteString("status"u8, status ?? "completed");
        w.WriteStartArray("content"u8);
        if (content.ValueKind == JsonValueKind.String)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, assistant ? "output_text"u8 : "input_text"u8);
            w.WritePropertyName("text"u8);
            content.WriteTo(w);
            if (assistant)
            {
                EmptyArray(w, "annotations"u8);
                EmptyArray(w, "logprobs"u8);
            }

            w.WriteEndObject();
        }
        else
        {
            foreach (var part in content.EnumerateArray())
            {
                WritePart(w, part);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A content part as sent; an <c>output_text</c> part gains the <c>annotations</c> and <c>logprobs</c> the spec requires.</summary>
    private static void WritePart(Utf8JsonWriter w, JsonElement part)
    {
        if (!part.GetProperty("type"u8).ValueEquals("output_text"u8))
        {
            part.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        foreach (var member in part.EnumerateObject())
        {
            member.WriteTo(w);
        }

        if (!part.TryGetProperty("annotations"u8, out _))
        {
            EmptyArray(w, "annotations"u8);
        }

        if (!part.TryGetProperty("logprobs"u8, out _))
        {
            EmptyArray(w, "logprobs"u8);
        }

        w.WriteEndObject();
    }

    /// <summary>The item's own <c>id</c> when it has one, else <c>msg_sim…</c>, <c>fc_sim…</c> or <c>fco_sim…</c> from the response id and position.</summary>
    private static string ItemId(JsonElement item, ulong salt, int index)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id"u8, out var given) && given.ValueKind == JsonValueKind.String)
        {
            return given.GetString()!;
        }

        var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type"u8, out var t) ? t.GetString() : null;
        var prefix = type switch
        {
            "function_call" => "fc_sim",
            "function_call_output" => "fco_sim",
            _ => "msg_sim",
        };
        return string.Create(prefix.Length + 16, (prefix, SimHash.Combine(salt, (ulong)index)), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            state.Item2.TryFormat(span[state.prefix.Length..], out _, "x16");
        });
    }

    private static void Copy(Utf8JsonWriter w, JsonElement item, ReadOnlySpan<byte> name)
    {
        if (item.TryGetProperty(name, out var value))
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
    }

    private static void EmptyArray(Utf8JsonWriter w, ReadOnlySpan<byte> name)
    {
        w.WriteStartArray(name);
        w.WriteEndArray();
    }

    private static void WriteId(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? id)
    {
        if (id is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, id);
        }
    }
}
