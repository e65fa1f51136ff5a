// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Charter.Keys;
using Charter.Storage.Sqlite;
using Microsoft.AspNetCore.Http;
using Charter.Tests.Keys;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Admin;

/// <summary>Admin keys against a SQLite store: created with an author and an expiry, refused once revoked or expired, and
/// the authenticator's cache never outliving a revocation.</summary>
public sealed class AdminKeyLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset Start = TempKeyStore.Start;
    private readonly TempKeyStore _temp = new("charter-adminkeys-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthenticateAsync_RevokedHere_RefusedAtOnceThoughCached()
    {
        var (store, _, admins, service, _) = await CreateAsync();
        var (key, secret) = (await service.CreateAdminKeyAsync("admin", "ops", null, "bootstrap", Ct)).Value;
        Assert.Equal(key.Id, (await admins.AuthenticateAsync(Request(secret)))?.Id);

        var revoked = await service.RevokeAdminKeyAsync(key.Id, "bootstrap", Ct);

        Assert.True(revoked.Ok, revoked.Error);
        Assert.NotNull(revoked.Value!.RevokedAt);
        Assert.Null(await admins.AuthenticateAsync(Request(secret)));
        Assert.Equal("revoked", service.ToDto(Assert.Single(await store.ListAdminKeysAsync(Ct))).State);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedByAnotherProcess_RefusedOnceTheRegistryHasReloaded()
    {
        var (store, registry, admins, service, _) = await CreateAsync();
        var (key, secret) = (await service.CreateAdminKeyAsync("auditor", null, null, "bootstrap", Ct)).Value;
        Assert.True(await registry.ReloadAsync(Ct));
        Assert.Equal("auditor", (await admins.AuthenticateAsync(Request(secret)))?.Role);

        // The CLI: its own service over the same database, no cache of this process to tell.
        var cli = new AdminService(store, TimeProvider.System);
        Assert.True((await cli.RevokeAdminKeyAsync(key.Id, "cli", Ct)).Ok);
        var beforeReload = await admins.AuthenticateAsync(Request(secret));
        Assert.True(await registry.ReloadAsync(Ct));

        Assert.NotNull(beforeReload);
        Assert.Null(await admins.AuthenticateAsync(Request(secret)));
    }

    [Fact]
    public async Task AuthenticateAsync_PastExpiry_Refused()
    {
        var (_, _, admins, service, clock) = await CreateAsync();
        var (_, secret) = (await service.CreateAdminKeyAsync("admin", null, Start.AddHours(1), "bootstrap", Ct)).Value;

        var before = await admins.AuthenticateAsync(Request(secret));
        clock.Advance(TimeSpan.FromHours(1));
        var at = await admins.AuthenticateAsync(Request(secret));

        Assert.NotNull(before);
        Assert.Null(at);
        Assert.Equal("expired", service.ToDto((await service.CreateAdminKeyAsync("admin", null, Start.AddHours(2), "x", Ct)).Value.Key with { ExpiresAt = Start }).State);
    }

    [Fact]
    public async Task CreateAdminKeyAsync_BadRoleNameOrPastExpiry_400AndNothingStored()
    {
        var (store, _, _, service, _) = await CreateAsync();

        var role = await service.CreateAdminKeyAsync("root", null, null, "bootstrap", Ct);
        var name = await service.CreateAdminKeyAsync("admin", new string('n', 101), null, "bootstrap", Ct);
        var past = await service.CreateAdminKeyAsync("admin", null, Start.AddSeconds(-1), "bootstrap", Ct);

        Assert.Equal((400, 400, 400), (role.Status, name.Status, past.Status));
        Assert.Contains("'role'", role.Error, StringComparison.Ordinal);
        Assert.Contains("'expires_at' must be in the future", past.Error, StringComparison.Ordinal);
        Assert.Empty(await store.ListAdminKeysAsync(Ct));
    }

    [Fact]
    public async Task CreateAdminKeyAsync_KeepsTheAuthorAndExpiry_SecretOnlyInTheResult()
    {
        var (store, _, _, service, _) = await CreateAsync();

        var (key, secret) = (await service.CreateAdminKeyAsync("auditor", "audit team", Start.AddDays(7), "adm_creator", Ct)).Value;
        var stored = Assert.Single(await store.ListAdminKeysAsync(Ct));

        Assert.StartsWith("cka-", secret, StringComparison.Ordinal);
        Assert.Equal((key.Id, "auditor", "audit team", "adm_creator", (DateTimeOffset?)Start.AddDays(7)), (stored.Id, stored.Role, stored.Name, stored.CreatedBy, stored.ExpiresAt));
        Assert.Equal(KeySecrets.Hash(secret), stored.Hash);
    }

    [Fact]
    public async Task RevokeAdminKeyAsync_UnknownBootstrapOrTwice_404_400_AndIdempotent()
    {
        var (_, _, _, service, clock) = await CreateAsync();
        var (key, _) = (await service.CreateAdminKeyAsync("admin", null, null, "bootstrap", Ct)).Value;

        var unknown = await service.RevokeAdminKeyAsync("adm_nope", "bootstrap", Ct);
        var bootstrap = await service.RevokeAdminKeyAsync(AdminAuthenticator.BootstrapId, "bootstrap", Ct);
        var first = await service.RevokeAdminKeyAsync(key.Id, "bootstrap", Ct);
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await service.RevokeAdminKeyAsync(key.Id, "bootstrap", Ct);

        Assert.Equal(404, unknown.Status);
        Assert.Equal(400, bootstrap.Status);
        Assert.Contains("CHARTER_ADMIN_KEY", bootstrap.Error, StringComparison.Ordinal);
        Assert.True(first.Ok && second.Ok);
        Assert.Equal(Start, second.Value!.RevokedAt);
    }

    [Fact]
    public async Task CreateKeyAsync_PastExpiry_400_FutureExpiry_KeptAndExpiredLater()
    {
        var (store, _, _, service, clock) = await CreateAsync();

        var past = await service.CreateKeyAsync(new CreateKeyRequest("t", ["chat"], null, null, null, null) { ExpiresAt = Start }, "bootstrap", Ct);
        var future = await service.CreateKeyAsync(new CreateKeyRequest("t", ["chat"], null, null, null, null) { ExpiresAt = Start.AddMinutes(10) }, "bootstrap", Ct);

        Assert.Equal(400, past.Status);
        Assert.True(future.Ok, future.Error);
        var stored = Assert.Single(await store.ListKeysAsync(Ct));
        Assert.Equal(Start.AddMinutes(10), stored.ExpiresAt);
        Assert.False(stored.IsExpired(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(stored.IsExpired(clock.GetUtcNow()));
    }

    [Fact]
    public async Task AuthenticateAsync_LookupsBusy_FurtherUnknownAdminKeysRefusedWithoutAQuery()
    {
        var (store, _, _, _, _) = await CreateAsync();
        var held = HeldAdminLookups.Wrap(store);
        var admins = new AdminAuthenticator(held.Store, "ak-bootstrap-secret");
        var pending = Enumerable.Range(0, KeyRegistry.MaxConcurrentMisses).Select(i => admins.AuthenticateAsync(Request($"cka-made-up-{i}")).AsTask()).ToList();

        var busy = admins.AuthenticateAsync(Request("cka-one-too-many"));
        var bootstrap = await admins.AuthenticateAsync(Request("ak-bootstrap-secret"));

        Assert.True(busy.IsCompleted);
        Assert.Null(await busy);
        Assert.Equal("bootstrap", bootstrap?.Id);
        Assert.Equal(KeyRegistry.MaxConcurrentMisses, held.Lookups);
        held.Release.SetResult();
        Assert.All(await Task.WhenAll(pending), Assert.Null);
        Assert.Null(await admins.AuthenticateAsync(Request("cka-one-too-many")));
        Assert.Equal(KeyRegistry.MaxConcurrentMisses + 1, held.Lookups);
    }

    public void Dispose() => _temp.Dispose();

    private static DefaultHttpContext Request(string secret)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + secret;
        return http;
    }

    private async Task<(SqliteGatewayStore Store, KeyRegistry Registry, AdminAuthenticator Admins, AdminService Service, FakeTimeProvider Clock)> CreateAsync()
    {
        var (store, registry) = await _temp.OpenAsync();
        var clock = new FakeTimeProvider(Start);
        var admins = new AdminAuthenticator(store, "ak-bootstrap-secret", registry, clock);
        return (store, registry, admins, new AdminService(store, clock, registry, null, null, admins), clock);
    }

    /// <summary>Counts the store's admin-key lookups and holds each until <see cref="Release"/> is set.</summary>
    public class HeldAdminLookups : System.Reflection.DispatchProxy
    {
        private Charter.Storage.IGatewayStore _inner = null!;
        private int _lookups;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Lookups => Volatile.Read(ref _lookups);

        public Charter.Storage.IGatewayStore Store => (Charter.Storage.IGatewayStore)(object)this;

        public static HeldAdminLookups Wrap(Charter.Storage.IGatewayStore inner)
        {
            var proxy = (HeldAdminLookups)(object)Create<Charter.Storage.IGatewayStore, HeldAdminLookups>();
            proxy._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            if (targetMethod.Name != nameof(Charter.Storage.IGatewayStore.FindAdminKeyByHashAsync))
            {
                return result;
            }

            Interlocked.Increment(ref _lookups);
            return HoldAsync((Task<AdminKeyRecord?>)result!);
        }

        private async Task<AdminKeyRecord?> HoldAsync(Task<AdminKeyRecord?> lookup)
        {
            var found = await lookup;
            await Release.Task;
            return found;
        }
    }
}
