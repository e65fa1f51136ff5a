// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Http;

namespace Charter.Audit.Http;

/// <summary>An <see cref="IAuditAuthorizer"/> from a delegate, for wiring without a class.</summary>
public sealed class DelegateAuditAuthorizer(Func<HttpContext, ValueTask<AuditAccess>> authorize) : IAuditAuthorizer
{
    public ValueTask<AuditAccess> AuthorizeAsync(HttpContext context) => authorize(context);
}
