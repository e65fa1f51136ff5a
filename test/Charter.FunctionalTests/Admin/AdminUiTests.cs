// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Admin;

/// <summary>The admin dashboard at <c>/ui/</c>: served with a strict policy, calling only endpoints that exist, and working in
/// a DOM (jsdom) against the running gateway: sign in, a key created, rotated and revoked, every view, an auditor's
/// read-only view.</summary>
public sealed partial class AdminUiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ui/", "text/html")]
    [InlineData("ui/app.js", "text/javascript")]
    [InlineData("ui/app.css", "text/css")]
    public async Task Get_DashboardFile_ServedWithoutKey_StrictHeaders(string path, string contentType)
    {
        await using var gw = await TestGateway.StartAsync();

        using var resp = await gw.Http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal(contentType, resp.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', resp.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', resp.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("", "/ui/")]
    [InlineData("ui", "/ui/")]
    public async Task Get_RootOrUi_RedirectsToTheDashboard(string path, string location)
    {
        await using var gw = await TestGateway.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gw.BaseUri };

        using var resp = await http.GetAsync(path, Ct);
        using var missing = await http.GetAsync("ui/secrets.txt", Ct);

        Assert.Equal(HttpStatusCode.Redirect, resp.StatusCode);
        Assert.Equal(location, resp.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AppJs_EveryApiCall_IsAMappedEndpoint_AndNoDataIsWrittenAsHtml()
    {
        await using var gw = await TestGateway.StartAsync();
        var script = await gw.Http.GetStringAsync("ui/app.js", Ct);
        var mapped = gw.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}") ?? [])
            .ToHashSet(StringComparer.Ordinal);

        var calls = ApiCall().Matches(script).Select(m => $"{m.Groups["method"].Value} {Normalize(m.Groups["path"].Value)}").Distinct().ToList();

        Assert.True(calls.Count >= 15, $"only {calls.Count} API calls found in app.js");
        Assert.All(calls, call => Assert.Contains(call, mapped));
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dashboard_InJsdom_SignInCreateRotateRevokeEveryView_AuditorReadOnly()
    {
        await using var gw = await TestGateway.StartAsync();
        var (secret, _) = await gw.CreateKeyAsync();
        await Sdk.Chat(gw, secret).CompleteChatAsync([new OpenAI.Chat.UserChatMessage("one request for the views")], cancellationToken: Ct);
        using var auditorResp = await gw.AdminAsync(HttpMethod.Post, "admin/v1/admin-keys", new { role = "auditor", name = "ui test" }, Ct);
        using var auditor = JsonDocument.Parse(await auditorResp.Content.ReadAsStringAsync(Ct));
        await gw.WaitForRecordsAsync();

        var result = await JsClient.RunDashboardAsync(gw, TestGateway.AdminKey, auditor.RootElement.GetProperty("key").GetString()!);

        Assert.Equal("bootstrap (admin)", result.GetProperty("signedInAs").GetString());
        Assert.StartsWith("ck-", result.GetProperty("createdSecret").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ck-", result.GetProperty("rotatedSecret").GetString(), StringComparison.Ordinal);
        Assert.Equal("revoked", result.GetProperty("stateAfterRevoke").GetString());
        var keyId = result.GetProperty("createdKeyId").GetString()!;
        using var key = JsonDocument.Parse(await (await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}", cancellationToken: Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(("revoked", result.GetProperty("rotatedSecret").GetString()![..7]), (key.RootElement.GetProperty("state").GetString(), key.RootElement.GetProperty("prefix").GetString()));
        Assert.Equal(("testing", "gpt-4o"), (result.GetProperty("editedPurposes").GetString(), result.GetProperty("editedModels").GetString()));
        Assert.Equal(new[] { "testing" }, key.RootElement.GetProperty("purposes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(new[] { "gpt-4o" }, key.RootElement.GetProperty("models").EnumerateArray().Select(p => p.GetString()));
        foreach (var view in result.GetProperty("views").EnumerateObject())
        {
            Assert.True(view.Value.GetProperty("error").ValueKind == JsonValueKind.Null, $"{view.Name}: {view.Value.GetProperty("error")}");
            Assert.False(string.IsNullOrEmpty(view.Value.GetProperty("title").GetString()), view.Name);
        }

        Assert.Equal(8, result.GetProperty("views").EnumerateObject().Count());
        Assert.Contains("revoke", result.GetProperty("lifecycleHistory").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("rotate", result.GetProperty("lifecycleHistory").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("update", result.GetProperty("lifecycleHistory").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Limits and budget", result.GetProperty("limitsHeading").GetString());
        using var limits = JsonDocument.Parse(await (await gw.AdminAsync(HttpMethod.Get, $"admin/v1/teams/{result.GetProperty("limitsTeamId").GetString()}/limits",
            cancellationToken: Ct)).Content.ReadAsStringAsync(Ct));
        Assert.True(limits.RootElement.GetProperty("own").GetBoolean());
        Assert.Equal((7L, 2.5m), (limits.RootElement.GetProperty("requests_per_minute").GetInt64(), limits.RootElement.GetProperty("daily_budget_usd").GetDecimal()));
        Assert.EndsWith("(auditor)", result.GetProperty("auditorSignedInAs").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("auditorKeyRows").GetInt32() >= 2);
        Assert.Equal(0, result.GetProperty("auditorWriteControls").GetInt32());
        Assert.Equal(0, result.GetProperty("adminScriptErrors").GetArrayLength());
        Assert.Equal(0, result.GetProperty("auditorScriptErrors").GetArrayLength());
    }

    // A route template or a script's template literal with its parameters replaced by {}: "/admin/v1/keys/{}/rotate".
    private static string Normalize(string path) => Parameter().Replace(path.Split('?')[0], "{}");

    [GeneratedRegex(@"api\('(?<method>GET|POST|PUT|PATCH|DELETE)', [`'](?<path>/(?:admin|audit)/v1/[^`'?]*)")]
    private static partial Regex ApiCall();

    [GeneratedRegex(@"\$\{[^}]*\}|\{[^}/]*\}")]
    private static partial Regex Parameter();
}
