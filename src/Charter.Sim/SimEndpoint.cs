// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>The API operations the simulator serves.</summary>
internal enum SimEndpoint
{
    ChatCompletions,
    Embeddings,
    Models,
    Model,
}
