// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>A fault that answers a request instead of the model; each wire format words it its own way.</summary>
internal enum SimFault
{
    /// <summary>No fault: the request is answered.</summary>
    None,

    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>HTTP 429 with <c>retry-after</c>.</summary>
    RateLimited,

    /// <summary>The provider is overloaded (503, or Anthropic's 529) with <c>retry-after</c>.</summary>
    Overloaded,
}
