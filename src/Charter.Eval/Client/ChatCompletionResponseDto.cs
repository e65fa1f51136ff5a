// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>The parts of a chat.completion response the harness reads.</summary>
internal sealed class ChatCompletionResponseDto
{
    public ChoiceDto[]? Choices { get; set; }

    public UsageDto? Usage { get; set; }

    public ErrorDto? Error { get; set; }
}
