// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.Pipelines;

namespace Charter.Sim;

/// <summary>A streamed (server-sent events) response body: OpenAI chunks or Anthropic events.</summary>
internal abstract class SimStream
{
    /// <summary>Writes the events to <paramref name="output"/>; never completes the writer.</summary>
    public abstract Task<StreamOutcome> WriteAsync(PipeWriter output, CancellationToken cancellationToken);
}
