// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Per-record facts derived once and shared by the key and team updates.</summary>
internal struct RecordTraits
{
    public PromptFeatures Prompt;
    public bool Generative;
    public bool LargeMax;
    public bool Suspicious;
    public bool SharedTemplate;
    public double Attribution;
}
