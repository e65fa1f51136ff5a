// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Reflection;
using Charter.Admin;
using Charter.Keys;
using Charter.Storage;
using Charter.Storage.Sqlite;

namespace Charter.Tests.Keys;

/// <summary>The key cache under a flood of bad keys: the memory of unknown keys stays bounded, at most a few lookups reach
/// the database at once, and requests presenting the same new key share one lookup.</summary>
public sealed class KeyRegistryBoundsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("charter-keybounds-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuthenticateAsync_DistinctUnknownKeysPastTheBound_MemoryStaysBounded()
    {
        var registry = new KeyRegistry(await StoreAsync(), maxUnknown: 50);
        var most = 0;

        for (var i = 0; i < 200; i++)
        {
            Assert.Null(await registry.AuthenticateAsync($"ck-unknown-{i:D6}-xxxxxxxx"));
            most = Math.Max(most, registry.UnknownCount);
        }

        Assert.Equal(50, most);
        Assert.InRange(registry.UnknownCount, 1, 50);
    }

    [Fact]
    public async Task AuthenticateAsync_LookupsBusy_FurtherDistinctMissesUnknownWithoutAQuery()
    {
        var held = HeldLookupStore.Wrap(await StoreAsync());
        var registry = new KeyRegistry(held.Store);
        var pending = Enumerable.Range(0, KeyRegistry.MaxConcurrentMisses).Select(i => registry.AuthenticateAsync($"ck-pending-{i}-xxxxxxxxxx").AsTask()).ToList();

        var busy = registry.AuthenticateAsync("ck-one-too-many-xxxxxxxx");

        Assert.True(busy.IsCompleted);
        Assert.Null(await busy);
        Assert.Equal(KeyRegistry.MaxConcurrentMisses, held.Lookups);
        held.Release.SetResult();
        Assert.All(await Task.WhenAll(pending), Assert.Null);
        Assert.Null(await registry.AuthenticateAsync("ck-one-too-many-xxxxxxxx"));
        Assert.Equal(KeyRegistry.MaxConcurrentMisses + 1, held.Lookups);
    }

    [Fact]
    public async Task AuthenticateAsync_SameNewKeyAtOnce_OneLookupSharedByAll()
    {
        var store = await StoreAsync();
        var (key, secret) = (await new AdminService(store, TimeProvider.System).CreateKeyAsync(
            new CreateKeyRequest("t", ["chat"], null, null, null, null), "test", Ct)).Value;
        var held = HeldLookupStore.Wrap(store);
        var registry = new KeyRegistry(held.Store);

        var burst = Enumerable.Range(0, 20).Select(_ => registry.AuthenticateAsync(secret).AsTask()).ToList();
        Assert.Equal(1, held.Lookups);
        held.Release.SetResult();

        Assert.All(await Task.WhenAll(burst), k => Assert.Equal(key.Id, k?.Id));
        Assert.Equal(1, held.Lookups);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<IGatewayStore> StoreAsync()
    {
        var store = new SqliteGatewayStore(Path.Combine(_directory, "charter.db"));
        await store.MigrateAsync(Ct);
        return store;
    }

    /// <summary>Counts the store's key lookups by hash and holds each until <see cref="Release"/> is set.</summary>
    public class HeldLookupStore : DispatchProxy
    {
        private IGatewayStore _inner = null!;
        private int _lookups;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Lookups => Volatile.Read(ref _lookups);

        public IGatewayStore Store => (IGatewayStore)(object)this;

        public static HeldLookupStore Wrap(IGatewayStore inner)
        {
            var proxy = (HeldLookupStore)(object)Create<IGatewayStore, HeldLookupStore>();
            proxy._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            if (targetMethod.Name != nameof(IGatewayStore.FindKeyByHashAsync))
            {
                return result;
            }

            Interlocked.Increment(ref _lookups);
            return HoldAsync((Task<Charter.Keys.ApiKeyRecord?>)result!);
        }

        private async Task<Charter.Keys.ApiKeyRecord?> HoldAsync(Task<Charter.Keys.ApiKeyRecord?> lookup)
        {
            var found = await lookup;
            await Release.Task;
            return found;
        }
    }
}
