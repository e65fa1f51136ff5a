// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Tests.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Admin;

/// <summary>The admin API's OpenAPI document (<c>/openapi/admin.json</c>) against the endpoints the gateway maps.</summary>
public sealed class AdminOpenApiTests
{
    [Fact]
    public async Task Document_EveryAdminAndAuditEndpoint_ListedWithItsMethod()
    {
        await using var gw = await TestGateway.StartAsync();
        using var doc = JsonDocument.Parse(await gw.Http.GetStringAsync("openapi/admin.json", TestContext.Current.CancellationToken));
        var paths = doc.RootElement.GetProperty("paths");

        var mapped = gw.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && (p.StartsWith("/admin/", StringComparison.Ordinal) || p.StartsWith("/audit/", StringComparison.Ordinal)))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!, Method: m)))
            .ToList();
        Assert.True(mapped.Count >= 25, $"only {mapped.Count} admin and audit endpoints found");

        var missing = mapped
            .Where(e => !paths.TryGetProperty(e.Path, out var item) || !item.TryGetProperty(e.Method.ToLowerInvariant(), out _))
            .Select(e => e.Method + " " + e.Path)
            .ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("/admin/v1/keys/{id}/transitions", "post", "LifecycleTransitionRequest")]
    [InlineData("/admin/v1/teams/{id}/limits", "put", "LimitsUpdateRequest")]
    [InlineData("/admin/v1/keys", "post", "CreateKeyRequest")]
    [InlineData("/admin/v1/keys/{id}", "patch", "UpdateKeyRequest")]
    [InlineData("/admin/v1/keys/{id}/rotate", "post", "RotateKeyRequest")]
    [InlineData("/admin/v1/admin-keys", "post", "CreateAdminKeyRequest")]
    public async Task Document_OperationWithABody_DescribesTheBodyAndTheIdParameter(string path, string method, string schema)
    {
        await using var gw = await TestGateway.StartAsync();
        using var doc = JsonDocument.Parse(await gw.Http.GetStringAsync("openapi/admin.json", TestContext.Current.CancellationToken));
        var operation = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        // An optional body is "oneOf": [null, the schema].
        var reference = body.TryGetProperty("oneOf", out var oneOf)
            ? oneOf.EnumerateArray().Single(o => o.TryGetProperty("$ref", out _)).GetProperty("$ref").GetString()
            : body.GetProperty("$ref").GetString();
        Assert.EndsWith("/" + schema, reference, StringComparison.Ordinal);
        Assert.Contains(operation.GetProperty("responses").EnumerateObject(), r => r.Name is "200" or "201");
        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(),
                p => p.GetProperty("name").GetString() == "id" && p.GetProperty("in").GetString() == "path");
        }
    }

    [Fact]
    public async Task Document_DataPlaneAndFallbacks_NotListed()
    {
        await using var gw = await TestGateway.StartAsync();
        using var doc = JsonDocument.Parse(await gw.Http.GetStringAsync("openapi/admin.json", TestContext.Current.CancellationToken));

        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            Assert.False(path.Name.StartsWith("/v1/", StringComparison.Ordinal), path.Name);
        }
    }
}
