// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Admin;
using Charter.Keys;
using Charter.Storage.Sqlite;
using Charter.Tests.Keys;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Admin;

/// <summary>A key's name, purposes, default purpose, jurisdiction, allow-list and expiry changed in place: only the members
/// given, checked as at creation, kept in the history, and seen by the key cache at once.</summary>
public sealed class KeyUpdateTests : IDisposable
{
    private static readonly DateTimeOffset Start = TempKeyStore.Start;
    private readonly TempKeyStore _temp = new("charter-keyupdate-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateKeyAsync_SomeMembers_ChangesThoseOnly_HistoryAndCacheFollow()
    {
        var (store, registry, service) = await CreateAsync();
        var (key, secret) = await CreateKeyAsync(service, jurisdiction: "DE");

        var r = await service.UpdateKeyAsync(key.Id, Json("""{"name":"ci","models":["gpt-4o"," gpt-4o "]}"""), "adm_ops", Ct);

        Assert.True(r.Ok, r.Error);
        var stored = (await store.GetKeyAsync(key.Id, Ct))!;
        Assert.Equal(("ci", "DE", "evaluation", (DateTimeOffset?)null), (stored.Name, stored.Jurisdiction, stored.DefaultPurpose, stored.ExpiresAt));
        Assert.Equal(["gpt-4o"], stored.Models!);
        Assert.Equal(["evaluation", "testing"], stored.Purposes);
        Assert.Equal(["gpt-4o"], (await registry.AuthenticateAsync(secret))!.Models!);
        var history = (await store.GetHistoryAsync("key", key.Id, Ct))[^1];
        Assert.Equal(("update", "adm_ops", "name none → ci; models all → gpt-4o"), (history.Event, history.Actor, history.Reason));
    }

    [Fact]
    public async Task UpdateKeyAsync_NullMembers_ClearJurisdictionModelsAndExpiry()
    {
        var (store, _, service) = await CreateAsync();
        var (key, _) = await CreateKeyAsync(service, jurisdiction: "FR", models: ["gpt-4o"], expiresAt: Start.AddDays(1));

        var r = await service.UpdateKeyAsync(key.Id, Json("""{"jurisdiction":null,"models":null,"expires_at":null,"name":null}"""), "adm_ops", Ct);

        Assert.True(r.Ok, r.Error);
        var stored = (await store.GetKeyAsync(key.Id, Ct))!;
        Assert.Equal(((string?)null, (IReadOnlyList<string>?)null, (DateTimeOffset?)null), (stored.Jurisdiction, stored.Models, stored.ExpiresAt));
    }

    [Fact]
    public async Task UpdateKeyAsync_PurposesWithoutTheDefault_DefaultMovesToTheFirstLeft()
    {
        var (store, _, service) = await CreateAsync();
        var (key, _) = await CreateKeyAsync(service);

        var r = await service.UpdateKeyAsync(key.Id, Json("""{"purposes":["testing","production"]}"""), "adm_ops", Ct);

        Assert.True(r.Ok, r.Error);
        var stored = (await store.GetKeyAsync(key.Id, Ct))!;
        Assert.Equal(["testing", "production"], stored.Purposes);
        Assert.Equal("testing", stored.DefaultPurpose);
    }

    [Theory]
    [InlineData("""{"purposes":[]}""", "'purposes' must be a non-empty array")]
    [InlineData("""{"purposes":"evaluation"}""", "'purposes' must be a non-empty array")]
    [InlineData("""{"default_purpose":"production"}""", "'default_purpose' 'production' must be one of 'purposes'")]
    [InlineData("""{"jurisdiction":"Germany"}""", "'jurisdiction' must be an ISO 3166-1 alpha-2")]
    [InlineData("""{"models":[1,2]}""", "'models' must be an array of strings")]
    [InlineData("""{"expires_at":"2020-01-01T00:00:00Z"}""", "'expires_at' must be in the future")]
    [InlineData("""{"expires_at":"soon"}""", "'expires_at' must be an RFC 3339 time")]
    [InlineData("""{"team":"other"}""", "'team' cannot be changed")]
    [InlineData("""{"state":"active"}""", "'state' cannot be changed")]
    [InlineData("""[]""", "must be a JSON object")]
    public async Task UpdateKeyAsync_BadMember_400SaysWhy_NothingChanged(string body, string message)
    {
        var (store, _, service) = await CreateAsync();
        var (key, _) = await CreateKeyAsync(service, models: ["gpt-4o"]);

        var r = await service.UpdateKeyAsync(key.Id, Json(body), "adm_ops", Ct);

        Assert.Equal(400, r.Status);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        var stored = (await store.GetKeyAsync(key.Id, Ct))!;
        Assert.Equal(["evaluation", "testing"], stored.Purposes);
        Assert.Equal(["gpt-4o"], stored.Models!);
        Assert.DoesNotContain(await store.GetHistoryAsync("key", key.Id, Ct), h => h.Event == "update");
    }

    [Fact]
    public async Task UpdateKeyAsync_UnknownRevokedOrEmpty_404_409_AndNoChange()
    {
        var (store, _, service) = await CreateAsync();
        var (key, _) = await CreateKeyAsync(service);
        var (gone, _) = await CreateKeyAsync(service);
        Assert.True((await service.RevokeKeyAsync(gone.Id, "adm_ops", null, Ct)).Ok);
        var version = await store.GetChangeVersionAsync(Ct);

        var unknown = await service.UpdateKeyAsync("key_nope", Json("""{"name":"x"}"""), "adm_ops", Ct);
        var revoked = await service.UpdateKeyAsync(gone.Id, Json("""{"name":"x"}"""), "adm_ops", Ct);
        var empty = await service.UpdateKeyAsync(key.Id, Json("{}"), "adm_ops", Ct);

        Assert.Equal((404, 409), (unknown.Status, revoked.Status));
        Assert.True(empty.Ok);
        Assert.Equal(version, await store.GetChangeVersionAsync(Ct));
    }

    public void Dispose() => _temp.Dispose();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static async Task<(ApiKeyRecord Key, string Secret)> CreateKeyAsync(AdminService service, string? jurisdiction = null, string[]? models = null,
        DateTimeOffset? expiresAt = null)
    {
        var created = await service.CreateKeyAsync(new CreateKeyRequest("t", ["evaluation", "testing"], null, jurisdiction, models, null) { ExpiresAt = expiresAt }, "adm_ops", Ct);
        Assert.True(created.Ok, created.Error);
        return created.Value;
    }

    private async Task<(SqliteGatewayStore Store, KeyRegistry Registry, AdminService Service)> CreateAsync()
    {
        var (store, registry) = await _temp.OpenAsync();
        return (store, registry, new AdminService(store, new FakeTimeProvider(Start), registry));
    }
}
