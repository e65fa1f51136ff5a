// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>One problem found while loading a policy set: where it is and what is wrong.</summary>
/// <param name="File">The file (relative to the policy directory, or the source name).</param>
/// <param name="Line">1-based line, or 0 when the error concerns the whole set.</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
