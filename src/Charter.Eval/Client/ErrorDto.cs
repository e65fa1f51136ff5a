// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Client;

/// <summary>An OpenAI-shaped error.</summary>
internal sealed class ErrorDto
{
    public string? Message { get; set; }

    public string? Type { get; set; }

    public string? Code { get; set; }
}
