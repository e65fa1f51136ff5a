// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Storage;

/// <summary>Who created a stored Responses API answer: the team of the key that asked, and the provider account that holds it.</summary>
/// <param name="TeamId">The team id of the key that made the request.</param>
/// <param name="Account">The provider account that answered (and stores the response).</param>
/// <param name="Model">The model the request named (the public name: an alias resolves to the account's own model).</param>
public sealed record ResponseOwner(string? TeamId, string? Account, string? Model = null);
