// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Errors;

namespace Charter.Forwarding;

/// <summary>The outcome of an access or policy check: allow, flag (allow and record), or deny with an error.</summary>
/// <param name="Error">Deny error, or <see cref="CharterError.None"/>.</param>
/// <param name="Flag">Allowed but flagged for review.</param>
/// <param name="Rule">Rule id behind the decision.</param>
/// <param name="Message">Human message (for denials and flags).</param>
/// <param name="Code">Overrides the error's wire code when set.</param>
public readonly record struct GateDecision(CharterError Error, bool Flag, string? Rule, string? Message, string? Code = null)
{
    /// <summary>Allowed, nothing to note.</summary>
    public static GateDecision Allow => default;

    /// <summary>Whether the request is refused.</summary>
    public bool Denied => Error != CharterError.None;

    /// <summary>The decision word for records: allow, flag or deny.</summary>
    public string Word => Denied ? "deny" : Flag ? "flag" : "allow";

    /// <summary>A denial.</summary>
    public static GateDecision Deny(CharterError error, string message, string? rule = null, string? code = null) => new(error, false, rule, message, code);
}
