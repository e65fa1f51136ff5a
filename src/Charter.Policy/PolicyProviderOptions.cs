// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>Options for <see cref="PolicyProvider"/>.</summary>
public sealed class PolicyProviderOptions
{
    /// <summary>The policy directory (<c>--policies</c>). Default: <c>policies</c>.</summary>
    public string Directory { get; set; } = "policies";

    /// <summary>Watch the directory and reload on change. Default: true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet period after the last file event before reloading (editors write files in several steps). Default: 250 ms.</summary>
    public TimeSpan DebounceDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}
