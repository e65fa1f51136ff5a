// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Per-prompt features computed once per record by <see cref="PromptAnalyzer"/>.</summary>
internal readonly record struct PromptFeatures(
    ulong SimHash,
    ulong ExactHash,
    ulong TemplateHash,
    int Words,
    bool Reasoning,
    bool Dataset);
