// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>What a subject remembers about one distinct prompt.</summary>
internal struct PromptEntry
{
    public ushort ModelMask;
    public float Temperature;
    public long Seed;
    public bool HasSeed;
    public bool Initialised;
}
