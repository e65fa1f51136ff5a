// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>Body of POST /v1/chat/completions (the fields the harness sends).</summary>
internal sealed class ChatCompletionRequestDto
{
    public required string Model { get; set; }

    public required ChatMessageDto[] Messages { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? Seed { get; set; }
}
