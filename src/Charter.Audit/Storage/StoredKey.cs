// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Storage;

/// <summary>A public signing key ever used by the log, kept so old checkpoints still verify after rotation.</summary>
/// <param name="VerifierKey">The note verifier key string: name+hex(key id)+base64(0x01‖public key).</param>
/// <param name="CreatedAt">When the key was first used.</param>
public sealed record StoredKey(string VerifierKey, DateTimeOffset CreatedAt);
