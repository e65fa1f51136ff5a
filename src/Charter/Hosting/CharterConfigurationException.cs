// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Hosting;

/// <summary>Thrown at start-up when the configuration is invalid; carries every error found.</summary>
public sealed class CharterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CharterConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    /// <summary>Creates an empty exception.</summary>
    public CharterConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates an exception with one message.</summary>
    public CharterConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates an exception with one message and an inner exception.</summary>
    public CharterConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [message];
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<string> Errors { get; } = [];
}
