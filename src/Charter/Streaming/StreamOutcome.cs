// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Errors;

namespace Charter.Streaming;

/// <summary>What happened while relaying a stream.</summary>
public struct StreamOutcome
{
    /// <summary>Usage read from the upstream's usage chunk, if any.</summary>
    public Usage Usage;

    /// <summary>Whether <c>data: [DONE]</c> arrived.</summary>
    public bool SawDone;

    /// <summary>Why the relay stopped early, or <see cref="CharterError.None"/>.</summary>
    public CharterError Error;

    /// <summary>Number of content-bearing chunks relayed.</summary>
    public int ContentChunks;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the first flush that sent the client an event (0: none).</summary>
    public long FirstFlushTimestamp;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the first flush after which <see cref="ContentChunks"/>
    /// was above 0 (0: none).</summary>
    public long FirstContentTimestamp;
}
