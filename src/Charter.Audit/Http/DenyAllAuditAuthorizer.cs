// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Http;

namespace Charter.Audit.Http;

/// <summary>The default until the gateway registers its own: nobody reads the log over HTTP.</summary>
internal sealed class DenyAllAuditAuthorizer : IAuditAuthorizer
{
    public ValueTask<AuditAccess> AuthorizeAsync(HttpContext context) => ValueTask.FromResult(AuditAccess.Unauthenticated);
}
