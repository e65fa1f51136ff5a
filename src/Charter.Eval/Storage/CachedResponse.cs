// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Storage;

/// <summary>A cached upstream answer (a row of <c>eval_cache</c>).</summary>
public sealed record CachedResponse(string Output, int PromptTokens, int CompletionTokens, double? Cost, double LatencyMs, string? PolicyVersion);
