// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

/// <summary>Token usage recorded with a request event.</summary>
/// <param name="PromptTokens">Prompt tokens.</param>
/// <param name="CompletionTokens">Completion tokens.</param>
/// <param name="Estimated">True when counted by the local tokenizer rather than reported upstream.</param>
public sealed record AuditUsage(long PromptTokens, long CompletionTokens, bool Estimated = false);
