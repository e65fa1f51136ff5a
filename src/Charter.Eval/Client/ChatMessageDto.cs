// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>An OpenAI chat message (role and text content).</summary>
internal sealed class ChatMessageDto
{
    public string? Role { get; set; }

    public string? Content { get; set; }
}
