// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Charter.Keys;
using Charter.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Keys;

/// <summary>A key given a new secret keeps its id, state and history; the old secret is refused at once or at the end of its
/// grace period, in this process's cache, in another process's after a reload, and on a cache miss.</summary>
public sealed class KeyRotationTests : IDisposable
{
    private static readonly DateTimeOffset Start = TempKeyStore.Start;
    private readonly TempKeyStore _temp = new("charter-rotate-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotateKeyAsync_NoGrace_OldSecretRefusedAtOnce_NewOneIsTheSameKey()
    {
        var (store, registry, service, _) = await CreateAsync();
        var (key, old) = await CreateKeyAsync(service);
        Assert.NotNull(await registry.AuthenticateAsync(old));

        var rotated = await service.RotateKeyAsync(key.Id, TimeSpan.Zero, "adm_ops", Ct);

        Assert.True(rotated.Ok, rotated.Error);
        var (updated, secret) = rotated.Value;
        Assert.Null(await registry.AuthenticateAsync(old));
        var viaNew = await registry.AuthenticateAsync(secret);
        Assert.Equal((key.Id, key.TeamId, (DateTimeOffset?)null), (viaNew?.Id, viaNew?.TeamId, viaNew?.ExpiresAt));
        Assert.Equal(key.Purposes, viaNew!.Purposes);
        Assert.Equal(secret[..7], updated.Prefix);
        Assert.NotEqual(key.Hash, updated.Hash);
        Assert.Null(updated.PreviousHash);
        var history = await store.GetHistoryAsync("key", key.Id, Ct);
        Assert.Equal(("rotate", "adm_ops"), (history[^1].Event, history[^1].Actor));
    }

    [Fact]
    public async Task RotateKeyAsync_WithGrace_OldSecretIsTheKeyExpiringAtTheGracesEnd()
    {
        var (_, registry, service, clock) = await CreateAsync();
        var (key, old) = await CreateKeyAsync(service);

        var (_, secret) = (await service.RotateKeyAsync(key.Id, TimeSpan.FromHours(1), "adm_ops", Ct)).Value;
        var viaOld = await registry.AuthenticateAsync(old);
        var viaNew = await registry.AuthenticateAsync(secret);

        Assert.NotNull(viaOld);
        Assert.Equal(key.Id, viaOld.Id);
        Assert.Equal(Start.AddHours(1), viaOld.ExpiresAt);
        Assert.False(viaOld.IsExpired(clock.GetUtcNow()));
        Assert.True(viaOld.IsExpired(Start.AddHours(1)));
        Assert.True(viaOld.IsPreviousSecret);
        Assert.Null(viaNew!.ExpiresAt);
        Assert.False(viaNew.IsPreviousSecret);
    }

    [Fact]
    public async Task RotateKeyAsync_KeyExpiringBeforeTheGracesEnd_OldSecretKeepsTheEarlierExpiry()
    {
        var (_, registry, service, _) = await CreateAsync();
        var (key, old) = await CreateKeyAsync(service, expiresAt: Start.AddMinutes(10));

        await service.RotateKeyAsync(key.Id, TimeSpan.FromHours(1), "adm_ops", Ct);

        Assert.Equal(Start.AddMinutes(10), (await registry.AuthenticateAsync(old))?.ExpiresAt);
    }

    [Fact]
    public async Task RotateKeyAsync_SeenByAnotherProcess_AfterReloadAndOnACacheMiss()
    {
        var (store, _, service, _) = await CreateAsync();
        var (key, old) = await CreateKeyAsync(service);
        var reloaded = new KeyRegistry(store);
        Assert.True(await reloaded.ReloadAsync(Ct));
        Assert.NotNull(await reloaded.AuthenticateAsync(old));

        var (_, secret) = (await service.RotateKeyAsync(key.Id, TimeSpan.FromMinutes(5), "cli", Ct)).Value;
        Assert.True(await reloaded.ReloadAsync(Ct));
        var cold = new KeyRegistry(store);

        Assert.Equal(Start.AddMinutes(5), (await reloaded.AuthenticateAsync(old))?.ExpiresAt);
        Assert.Equal(key.Id, (await reloaded.AuthenticateAsync(secret))?.Id);
        Assert.Equal(Start.AddMinutes(5), (await cold.AuthenticateAsync(old))?.ExpiresAt);
        Assert.Null((await cold.AuthenticateAsync(secret))?.ExpiresAt);

        // A second rotation without grace drops the first one's previous secret everywhere.
        var (_, third) = (await service.RotateKeyAsync(key.Id, TimeSpan.Zero, "cli", Ct)).Value;
        Assert.True(await reloaded.ReloadAsync(Ct));
        var coldAgain = new KeyRegistry(store);
        Assert.Null(await reloaded.AuthenticateAsync(old));
        Assert.Null(await reloaded.AuthenticateAsync(secret));
        Assert.Null(await coldAgain.AuthenticateAsync(old));
        Assert.Null(await coldAgain.AuthenticateAsync(secret));
        Assert.Equal(key.Id, (await coldAgain.AuthenticateAsync(third))?.Id);
    }

    [Fact]
    public async Task RotateKeyAsync_UnknownRevokedOrGraceTooLong_404_409_400_AndTheSecretUnchanged()
    {
        var (store, registry, service, _) = await CreateAsync();
        var (key, old) = await CreateKeyAsync(service);
        var (gone, _) = await CreateKeyAsync(service);
        Assert.True((await service.RevokeKeyAsync(gone.Id, "adm_ops", null, Ct)).Ok);

        var unknown = await service.RotateKeyAsync("key_nope", TimeSpan.Zero, "adm_ops", Ct);
        var revoked = await service.RotateKeyAsync(gone.Id, TimeSpan.Zero, "adm_ops", Ct);
        var tooLong = await service.RotateKeyAsync(key.Id, TimeSpan.FromDays(8), "adm_ops", Ct);
        var negative = await service.RotateKeyAsync(key.Id, TimeSpan.FromSeconds(-1), "adm_ops", Ct);

        Assert.Equal((404, 409, 400, 400), (unknown.Status, revoked.Status, tooLong.Status, negative.Status));
        Assert.Equal(key.Hash, (await store.GetKeyAsync(key.Id, Ct))!.Hash);
        Assert.Equal(key.Id, (await registry.AuthenticateAsync(old))?.Id);
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<(ApiKeyRecord Key, string Secret)> CreateKeyAsync(AdminService service, DateTimeOffset? expiresAt = null)
    {
        var created = await service.CreateKeyAsync(new CreateKeyRequest("t", ["chat"], null, null, null, null) { ExpiresAt = expiresAt }, "adm_ops", Ct);
        Assert.True(created.Ok, created.Error);
        return created.Value;
    }

    private async Task<(SqliteGatewayStore Store, KeyRegistry Registry, AdminService Service, FakeTimeProvider Clock)> CreateAsync()
    {
        var (store, registry) = await _temp.OpenAsync();
        var clock = new FakeTimeProvider(Start);
        return (store, registry, new AdminService(store, clock, registry), clock);
    }
}
