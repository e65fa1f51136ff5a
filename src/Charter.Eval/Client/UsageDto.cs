// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>Token usage; <c>cost</c> is an extension some gateways add.</summary>
internal sealed class UsageDto
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public int TotalTokens { get; set; }

    public double? Cost { get; set; }
}
