// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Admin;

/// <summary>Admin keys with roles, listed, revoked and expiring; user keys that expire; over real HTTP, with the CLI as its own
/// process where a change comes from outside the gateway.</summary>
public sealed class AdminKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuditorKey_ReadsTheAdminApi_RefusedEveryWrite()
    {
        await using var gw = await TestGateway.StartAsync();
        var (auditorId, auditor) = await CreateAdminKeyAsync(gw, "auditor");

        using var keys = await SendAsync(gw, auditor, HttpMethod.Get, "admin/v1/keys");
        using var admins = await SendAsync(gw, auditor, HttpMethod.Get, "admin/v1/admin-keys");
        using var team = await SendAsync(gw, auditor, HttpMethod.Post, "admin/v1/teams", new { name = "t" });
        using var mint = await SendAsync(gw, auditor, HttpMethod.Post, "admin/v1/admin-keys", new { role = "admin" });
        using var revoke = await SendAsync(gw, auditor, HttpMethod.Delete, $"admin/v1/admin-keys/{auditorId}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (keys.StatusCode, admins.StatusCode));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (team.StatusCode, mint.StatusCode, revoke.StatusCode));
        Assert.Contains("insufficient_role", await team.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var listed = Assert.Single(await ListAdminKeysAsync(gw));
        Assert.Equal((auditorId, "auditor", "active", "bootstrap"), (Str(listed, "id"), Str(listed, "role"), Str(listed, "state"), Str(listed, "created_by")));
        Assert.False(listed.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task RevokeAdminKey_ThroughTheApi_RefusedFromTheNextRequest_ListedAndAudited()
    {
        await using var gw = await TestGateway.StartAsync();
        var (id, secret) = await CreateAdminKeyAsync(gw, "admin", name: "ci job");
        using (var before = await SendAsync(gw, secret, HttpMethod.Post, "admin/v1/teams", new { name = "made-by-ci" }))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        using var revoked = await gw.AdminAsync(HttpMethod.Delete, $"admin/v1/admin-keys/{id}", cancellationToken: Ct);
        using var after = await SendAsync(gw, secret, HttpMethod.Get, "admin/v1/keys");
        using var again = await gw.AdminAsync(HttpMethod.Delete, $"admin/v1/admin-keys/{id}", cancellationToken: Ct);
        using var unknown = await gw.AdminAsync(HttpMethod.Delete, "admin/v1/admin-keys/adm_nope", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("invalid_api_key", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var listed = Assert.Single(await ListAdminKeysAsync(gw));
        Assert.Equal(("revoked", "ci job"), (Str(listed, "state"), Str(listed, "name")));
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revoked_at").ValueKind);

        await gw.WaitForRecordsAsync(requireComplete: false);
        var audit = await AuditEntriesAsync(gw);

        var revocation = Assert.Single(audit, e => e.TryGetProperty("entity_id", out var v) && v.GetString() == id && Str(e, "detail") == "admin_key.revoke");
        Assert.Equal("bootstrap", Str(revocation, "actor"));
        Assert.Single(audit, e => e.TryGetProperty("entity_id", out var v) && v.GetString() == id && Str(e, "detail") == "admin_key.create");
        var teamCreated = Assert.Single(audit, e => Str(e, "detail") == "team.create" && (Str(e, "reason") ?? "").Contains("made-by-ci", StringComparison.Ordinal));
        Assert.Equal(id, Str(teamCreated, "actor"));
    }

    [Fact]
    public async Task AdminKeyRevokedByTheCli_RunningGatewayRefusesItWithinSeconds()
    {
        await using var gw = await TestGateway.StartAsync();
        var (exit, stdout, stderr) = await CliProcess.RunAsync(["admin-keys", "create", "--role", "admin", "--name", "from-cli", "--expires", "30d", "--json", "--db", gw.DatabasePath], Ct);
        Assert.True(exit == 0, stderr);
        using var created = JsonDocument.Parse(stdout);
        var id = created.RootElement.GetProperty("id").GetString()!;
        var secret = created.RootElement.GetProperty("key").GetString()!;
        Assert.True(created.RootElement.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));
        using (var works = await SendAsync(gw, secret, HttpMethod.Get, "admin/v1/keys"))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        (exit, _, stderr) = await CliProcess.RunAsync(["admin-keys", "revoke", id, "--db", gw.DatabasePath], Ct);
        Assert.True(exit == 0, stderr);

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(50, Ct);
            using var resp = await SendAsync(gw, secret, HttpMethod.Get, "admin/v1/keys");
            status = resp.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        (exit, stdout, _) = await CliProcess.RunAsync(["admin-keys", "list", "--json", "--db", gw.DatabasePath], Ct);
        using var list = JsonDocument.Parse(stdout);
        var row = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(("revoked", "cli"), (Str(row, "state"), Str(row, "created_by")));
    }

    [Fact]
    public async Task CreateAdminKey_PastExpiryOrUnknownRole_400ProblemAndNothingStored()
    {
        await using var gw = await TestGateway.StartAsync();

        using var past = await gw.AdminAsync(HttpMethod.Post, "admin/v1/admin-keys", new { role = "admin", expires_at = "2020-01-01T00:00:00Z" }, Ct);
        using var role = await gw.AdminAsync(HttpMethod.Post, "admin/v1/admin-keys", new { role = "owner" }, Ct);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (past.StatusCode, role.StatusCode));
        Assert.Contains("expires_at", await past.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await ListAdminKeysAsync(gw));
    }

    [Fact]
    public async Task UserKey_PastItsExpiry_SdkGets401_ModelsToo_RecordNamesTheRule()
    {
        await using var gw = await TestGateway.StartAsync();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(5);
        using var create = await gw.AdminAsync(HttpMethod.Post, "admin/v1/keys",
            new Dictionary<string, object?> { ["team"] = "t", ["purposes"] = new[] { "testing" }, ["expires_at"] = expiresAt }, Ct);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        using var created = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Ct));
        var secret = created.RootElement.GetProperty("key").GetString()!;
        var keyId = created.RootElement.GetProperty("id").GetString()!;
        var client = Sdk.Chat(gw, secret);

        var before = await client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct);
        var wait = expiresAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(50), Ct);
        }

        var simulated = gw.Simulator.RequestCount;
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        var models = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Models(gw, secret).GetModelsAsync(Ct));

        Assert.False(string.IsNullOrEmpty(before.Value.Content[0].Text));
        Assert.Equal((401, 401), (ex.Status, models.Status));
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
        Assert.Equal(simulated, gw.Simulator.RequestCount);
        using var listed = await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{keyId}", cancellationToken: Ct);
        using var key = JsonDocument.Parse(await listed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), key.RootElement.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeMilliseconds());

        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var records = await store.ReadLatestRequestsAsync(10, Ct);
        Assert.Equal(2, records.Count);
        Assert.Equal((keyId, 401, "invalid_api_key", "key.expires_at"), (records[1].Key, records[1].Status, records[1].ErrorCode, records[1].Rule));
    }

    [Fact]
    public async Task CreateKey_PastExpiry_400AndNoKey()
    {
        await using var gw = await TestGateway.StartAsync();

        using var resp = await gw.AdminAsync(HttpMethod.Post, "admin/v1/keys",
            new Dictionary<string, object?> { ["team"] = "t", ["purposes"] = new[] { "testing" }, ["expires_at"] = "2026-01-01T00:00:00Z" }, Ct);
        using var keys = await gw.AdminAsync(HttpMethod.Get, "admin/v1/keys", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, resp.StatusCode);
        Assert.Contains("'expires_at' must be in the future", await resp.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await keys.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task RotateKey_WithGrace_BothSecretsWorkThenOnlyTheNew_SameKeyInTheRecords()
    {
        await using var gw = await TestGateway.StartAsync();
        var (old, keyId) = await gw.CreateKeyAsync();
        var graceEnds = DateTimeOffset.UtcNow.AddSeconds(5);

        using var rotate = await gw.AdminAsync(HttpMethod.Post, $"admin/v1/keys/{keyId}/rotate", new { grace_seconds = 5 }, Ct);
        var body = await rotate.Content.ReadAsStringAsync(Ct);
        Assert.True(rotate.StatusCode == HttpStatusCode.OK, body);
        using var rotated = JsonDocument.Parse(body);
        var secret = rotated.RootElement.GetProperty("key").GetString()!;
        Assert.Equal(keyId, rotated.RootElement.GetProperty("id").GetString());
        Assert.Equal(secret[..7], rotated.RootElement.GetProperty("prefix").GetString());
        Assert.True(rotated.RootElement.GetProperty("previous_key_expires_at").GetDateTimeOffset() >= graceEnds.AddSeconds(-1));

        await Sdk.Chat(gw, old).CompleteChatAsync([new UserChatMessage("old, in grace")], cancellationToken: Ct);
        await Sdk.Chat(gw, secret).CompleteChatAsync([new UserChatMessage("new")], cancellationToken: Ct);
        var wait = graceEnds.AddMilliseconds(200) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Ct);
        }

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, old).CompleteChatAsync([new UserChatMessage("old, late")], cancellationToken: Ct));
        await Sdk.Chat(gw, secret).CompleteChatAsync([new UserChatMessage("new, later")], cancellationToken: Ct);

        Assert.Equal(401, ex.Status);
        Assert.Contains("replaced by a rotation", ex.Message, StringComparison.Ordinal);
        await gw.WaitForRecordsAsync();
        var records = await gw.App.Services.GetRequiredService<IGatewayStore>().ReadLatestRequestsAsync(10, Ct);
        Assert.Equal(new int?[] { 200, 200, 401, 200 }, records.Select(r => r.Status));
        Assert.All(records, r => Assert.Equal(keyId, r.Key));
        Assert.Equal("key.rotation", records[2].Rule);
    }

    [Fact]
    public async Task RotateKey_NoBody_OldSecretRefusedAtOnce_RevokedKey409()
    {
        await using var gw = await TestGateway.StartAsync();
        var (old, keyId) = await gw.CreateKeyAsync();
        var (_, goneId) = await gw.CreateKeyAsync();
        using (await gw.AdminAsync(HttpMethod.Delete, $"admin/v1/keys/{goneId}", cancellationToken: Ct))
        {
        }

        using var rotate = await gw.AdminAsync(HttpMethod.Post, $"admin/v1/keys/{keyId}/rotate", cancellationToken: Ct);
        using var revoked = await gw.AdminAsync(HttpMethod.Post, $"admin/v1/keys/{goneId}/rotate", cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, old).CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.False(JsonDocument.Parse(await rotate.Content.ReadAsStringAsync(Ct)).RootElement.TryGetProperty("previous_key_expires_at", out _));
        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Equal(401, ex.Status);
    }

    [Fact]
    public async Task UpdateKey_NarrowModelsAndPurposes_RefusedFromTheNextRequest_AuditorMayNot()
    {
        await using var gw = await TestGateway.StartAsync();
        var (secret, keyId) = await gw.CreateKeyAsync(purposes: ["testing", "evaluation"]);
        var (_, auditor) = await CreateAdminKeyAsync(gw, "auditor");
        await Sdk.Chat(gw, secret, model: "gpt-4o-mini").CompleteChatAsync([new UserChatMessage("before")], cancellationToken: Ct);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"admin/v1/keys/{keyId}")
        {
            Content = JsonContent.Create(new Dictionary<string, object?> { ["models"] = new[] { "gpt-4o" }, ["purposes"] = new[] { "evaluation" } }),
        };
        patch.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var patched = await gw.Http.SendAsync(patch, Ct);
        var body = await patched.Content.ReadAsStringAsync(Ct);
        using var denied = await SendAsync(gw, auditor, HttpMethod.Patch, $"admin/v1/keys/{keyId}", new { name = "x" });

        Assert.True(patched.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("evaluation", doc.RootElement.GetProperty("default_purpose").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var model = await Assert.ThrowsAsync<ClientResultException>(() =>
            Sdk.Chat(gw, secret, model: "gpt-4o-mini").CompleteChatAsync([new UserChatMessage("other model")], cancellationToken: Ct));
        var purpose = await Assert.ThrowsAsync<ClientResultException>(() =>
            Sdk.Chat(gw, secret, model: "gpt-4o", purpose: "testing").CompleteChatAsync([new UserChatMessage("old purpose")], cancellationToken: Ct));
        var allowed = await Sdk.Chat(gw, secret, model: "gpt-4o").CompleteChatAsync([new UserChatMessage("allowed")], cancellationToken: Ct);
        Assert.Equal((403, 403), (model.Status, purpose.Status));
        Assert.Contains("charter_model_not_allowed", model.Message, StringComparison.Ordinal);
        Assert.Contains("charter_purpose_not_granted", purpose.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(allowed.Value.Content[0].Text));
    }

    [Fact]
    public async Task ListKeys_ByTeamNameOrIdAndState_OnlyThoseKeys()
    {
        await using var gw = await TestGateway.StartAsync();
        var (_, a1) = await gw.CreateKeyAsync(team: "alpha");
        var (_, a2) = await gw.CreateKeyAsync(team: "alpha");
        var (_, b1) = await gw.CreateKeyAsync(team: "beta");
        using (await gw.AdminAsync(HttpMethod.Delete, $"admin/v1/keys/{a2}", cancellationToken: Ct))
        {
        }

        var byName = await IdsAsync("admin/v1/keys?team=alpha");
        var teamId = JsonDocument.Parse(await (await gw.AdminAsync(HttpMethod.Get, $"admin/v1/keys/{b1}", cancellationToken: Ct)).Content.ReadAsStringAsync(Ct))
            .RootElement.GetProperty("team").GetString();
        var byId = await IdsAsync($"admin/v1/keys?team={teamId}");
        var active = await IdsAsync("admin/v1/keys?team=alpha&state=active");
        var none = await IdsAsync("admin/v1/keys?team=nobody");

        Assert.Equal(new[] { a1, a2 }.Order(), byName.Order());
        Assert.Equal(new[] { b1 }, byId);
        Assert.Equal(new[] { a1 }, active);
        Assert.Empty(none);

        async Task<List<string>> IdsAsync(string path)
        {
            using var resp = await gw.AdminAsync(HttpMethod.Get, path, cancellationToken: Ct);
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(Ct));
            return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()!)];
        }
    }

    [Fact]
    public async Task ListRequests_Limit_NewestOnesOldestFirst()
    {
        await using var gw = await TestGateway.StartAsync();
        var (secret, _) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, secret);
        for (var i = 0; i < 4; i++)
        {
            await client.CompleteChatAsync([new UserChatMessage($"hello {i}")], cancellationToken: Ct);
        }

        await gw.WaitForRecordsAsync();
        using var resp = await gw.AdminAsync(HttpMethod.Get, "admin/v1/requests?limit=2", cancellationToken: Ct);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(Ct));
        var all = await gw.App.Services.GetRequiredService<IGatewayStore>().ReadLatestRequestsAsync(100, Ct);

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Skip(2).Select(r => r.Id), doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async Task<(string Id, string Secret)> CreateAdminKeyAsync(TestGateway gw, string role, string? name = null)
    {
        using var resp = await gw.AdminAsync(HttpMethod.Post, "admin/v1/admin-keys", new { role, name }, Ct);
        var body = await resp.Content.ReadAsStringAsync(Ct);
        Assert.True(resp.StatusCode == HttpStatusCode.Created, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("key").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gw, string key, HttpMethod method, string path, object? body = null)
    {
        using var req = new HttpRequestMessage(method, path);
        req.Headers.Authorization = new("Bearer", key);
        if (body is not null)
        {
            req.Content = JsonContent.Create(body);
        }

        return await gw.Http.SendAsync(req, Ct);
    }

    private static async Task<List<JsonElement>> ListAdminKeysAsync(TestGateway gw)
    {
        using var resp = await gw.AdminAsync(HttpMethod.Get, "admin/v1/admin-keys", cancellationToken: Ct);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(Ct));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<List<JsonElement>> AuditEntriesAsync(TestGateway gw)
    {
        var log = gw.App.Services.GetRequiredService<Charter.Audit.AuditLog>();
        var size = await log.GetSizeAsync(Ct);
        using var resp = await gw.AdminAsync(HttpMethod.Get, $"audit/v1/entries?start=0&end={size}", cancellationToken: Ct);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(Ct));
        return [.. doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => JsonDocument.Parse(e.GetProperty("leaf").GetString()!).RootElement.Clone())];
    }
}
