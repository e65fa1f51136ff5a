// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>An authenticated admin caller.</summary>
/// <param name="Id">Admin key id (<c>bootstrap</c> for CHARTER_ADMIN_KEY).</param>
/// <param name="Role"><c>admin</c> or <c>auditor</c>.</param>
public sealed record AdminPrincipal(string Id, string Role)
{
    /// <summary>Whether the caller may change things.</summary>
    public bool CanWrite => Role == "admin";
}
