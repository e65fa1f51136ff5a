// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Hosting;

/// <summary>How the gateway serves models, for the start-up banner.</summary>
/// <param name="Description">One line.</param>
public sealed record GatewayMode(string Description);
