// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>One output item of a translated stream: an assistant message (its text) or a function call (its arguments).</summary>
internal sealed class ResponsesStreamItem : IDisposable
{
    public ResponsesStreamItem(bool isMessage, byte[] id, int outputIndex)
    {
        IsMessage = isMessage;
        Id = id;
        OutputIndex = outputIndex;
        Data = new PooledByteWriter(isMessage ? 1024 : 256);
    }

    /// <summary>Whether this is the message item (else a function call).</summary>
    public bool IsMessage { get; }

    /// <summary>The item id (<c>msg_…</c> or <c>fc_…</c>).</summary>
    public byte[] Id { get; }

    /// <summary>The item's <c>output_index</c>.</summary>
    public int OutputIndex { get; }

    /// <summary>The text so far (message) or the arguments so far (function call), unescaped UTF-8.</summary>
    public PooledByteWriter Data { get; }

    /// <summary>The function call's <c>call_id</c>, unescaped.</summary>
    public PooledByteWriter? CallId { get; set; }

    /// <summary>The function's name, unescaped.</summary>
    public PooledByteWriter? Name { get; set; }

    /// <summary>Whether its <c>response.output_item.done</c> was written.</summary>
    public bool Done { get; set; }

    public void Dispose()
    {
        Data.Dispose();
        CallId?.Dispose();
        Name?.Dispose();
    }
}
