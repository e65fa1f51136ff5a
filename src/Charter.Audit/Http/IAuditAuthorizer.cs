// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Http;

namespace Charter.Audit.Http;

/// <summary>Decides whether a request may read the audit log (admin or auditor role); the gateway supplies it.</summary>
public interface IAuditAuthorizer
{
    /// <summary>Authorises <paramref name="context"/> for the audit read endpoints.</summary>
    public ValueTask<AuditAccess> AuthorizeAsync(HttpContext context);
}
