// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>One choice of a chat.completion response.</summary>
internal sealed class ChoiceDto
{
    public ChatMessageDto? Message { get; set; }

    public string? FinishReason { get; set; }
}
