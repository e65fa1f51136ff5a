// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Signing;

/// <summary>One signature line of a signed note: <c>— name base64(key id‖signature)</c>.</summary>
public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature);
