// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Http;

/// <summary>The outcome of authorising a call to the audit API.</summary>
public enum AuditAccess
{
    /// <summary>The caller is an admin or auditor.</summary>
    Allowed,

    /// <summary>No or unknown credentials (HTTP 401).</summary>
    Unauthenticated,

    /// <summary>Known caller without the admin or auditor role (HTTP 403).</summary>
    Forbidden,
}
