// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel.Primitives;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Adds fixed headers (e.g. Charter-Purpose) to every SDK request, as a user would with a pipeline policy.</summary>
public sealed class HeaderPolicy(IReadOnlyDictionary<string, string> headers) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Apply(PipelineMessage message)
    {
        foreach (var (k, v) in headers)
        {
            message.Request.Headers.Set(k, v);
        }
    }
}
