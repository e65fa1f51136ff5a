// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>How a simulated stream ended.</summary>
internal enum StreamOutcome
{
    /// <summary>Every chunk and <c>[DONE]</c> were written.</summary>
    Completed,

    /// <summary>A simulated fault: the transport must abort the connection now.</summary>
    Dropped,

    /// <summary>The reader went away or the request was cancelled; generation stopped.</summary>
    ClientGone,
}
