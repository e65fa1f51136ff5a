// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Admin;

/// <summary>The control plane's refusals that ASP.NET Core would send without a body: each gets a problem body saying why.</summary>
public sealed class AdminErrorTests
{
    [Theory]
    [InlineData("POST", "admin/v1/keys", "{\"team\":", "application/json", 400, "request body as JSON")]
    [InlineData("POST", "admin/v1/keys", "{\"team\":5,\"purposes\":[\"a\"]}", "application/json", 400, "Path: $.team")]
    [InlineData("POST", "admin/v1/teams", "{\"name\":[]}", "application/json", 400, "Path: $.name")]
    [InlineData("POST", "admin/v1/keys", "{\"team\":\"t\",\"purposes\":[\"a\"]}", "text/plain", 415, "application/json")]
    [InlineData("PUT", "admin/v1/admin-keys", "{}", "application/json", 405, "PUT is not supported on /admin/v1/admin-keys")]
    [InlineData("PATCH", "admin/v1/keys/key_x", "{\"name\":", "application/json", 400, "not valid JSON")]
    [InlineData("PATCH", "admin/v1/keys/key_x", "{}", "text/plain", 415, "application/json")]
    [InlineData("PATCH", "admin/v1/keys/key_x", "{\"name\":\"n\"}", "application/json", 404, "No key with id 'key_x'")]
    [InlineData("GET", "admin/v1/keys/key_nope", null, null, 404, "/admin/v1/keys/key_nope")]
    [InlineData("GET", "admin/v1/nothing-here", null, null, 404, "/admin/v1/nothing-here")]
    public async Task Send_RefusedByTheFramework_ProblemBodySaysWhy(string method, string path, string? body, string? contentType, int status, string detail)
    {
        await using var gw = await TestGateway.StartAsync();
        using var req = new HttpRequestMessage(new HttpMethod(method), path);
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        if (body is not null)
        {
            req.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        var text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)resp.StatusCode);
        Assert.StartsWith("application/problem+json", resp.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(status, doc.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ck-not-an-admin-key")]
    public async Task Post_MalformedBodyWithoutAdminKey_401NotTheBindingReason(string? key)
    {
        await using var gw = await TestGateway.StartAsync();
        using var req = new HttpRequestMessage(HttpMethod.Post, "admin/v1/keys") { Content = new StringContent("{\"team\":", Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            req.Headers.Authorization = new("Bearer", key);
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        var text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, resp.StatusCode);
        Assert.Contains("\"invalid_api_key\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MalformedKeyRequest_CreatesNothing()
    {
        await using var gw = await TestGateway.StartAsync();

        using var bad = await gw.AdminAsync(HttpMethod.Post, "admin/v1/keys", null, TestContext.Current.CancellationToken);
        using var list = await gw.AdminAsync(HttpMethod.Get, "admin/v1/keys", null, TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(0, doc.RootElement.GetProperty("data").GetArrayLength());
    }
}
