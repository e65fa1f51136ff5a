// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Reflection;
using Charter.Admin;
using Charter.Keys;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Keys;

/// <summary>The key cache against a SQLite store: a refresh that read the store before a change made in this process must not
/// put the previous state back.</summary>
public sealed class KeyRegistryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("charter-keyreg-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReloadAsync_KeyRevokedHereWhileReading_StaysRevokedAndReportsNotApplied()
    {
        var store = new SqliteGatewayStore(Path.Combine(_directory, "charter.db"));
        await store.MigrateAsync(Ct);
        var held = HeldListStore.Wrap(store);
        var registry = new KeyRegistry(held.Store);
        var admin = new AdminService(store, TimeProvider.System, registry);
        Assert.True((await admin.CreateTeamAsync("t", "test", Ct)).Ok);
        var created = await admin.CreateKeyAsync(new CreateKeyRequest("t", ["chat"], null, null, null, null), "test", Ct);
        Assert.True(created.Ok, created.Error);
        var (key, secret) = created.Value;
        Assert.True(await registry.ReloadAsync(Ct));

        held.Hold = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var reload = registry.ReloadAsync(Ct);
        await held.ReadStarted.Task;
        Assert.True((await admin.RevokeKeyAsync(key.Id, "test", null, Ct)).Ok);
        held.Hold.SetResult();

        Assert.False(await reload);
        Assert.Equal("revoked", (await registry.AuthenticateAsync(secret))?.State);
        held.Hold = null;
        Assert.True(await registry.ReloadAsync(Ct));
        Assert.Equal("revoked", (await registry.AuthenticateAsync(secret))?.State);
    }

    [Fact]
    public async Task ReloadAsync_NoChangeHere_AppliesTheStoreAndItsVersion()
    {
        var store = new SqliteGatewayStore(Path.Combine(_directory, "charter.db"));
        await store.MigrateAsync(Ct);
        var registry = new KeyRegistry(store);
        var admin = new AdminService(store, TimeProvider.System);
        Assert.True((await admin.CreateTeamAsync("t", "test", Ct)).Ok);
        var (key, secret) = (await admin.CreateKeyAsync(new CreateKeyRequest("t", ["chat"], null, null, null, null), "test", Ct)).Value;

        Assert.True(await registry.ReloadAsync(Ct));

        Assert.Equal(key.Id, (await registry.AuthenticateAsync(secret))?.Id);
        Assert.Equal(await store.GetChangeVersionAsync(Ct), registry.Version);
        Assert.NotNull(registry.Team(key.TeamId));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Forwards to a real store; <c>ListKeysAsync</c> takes its result, then waits for <see cref="Hold"/>.</summary>
    public class HeldListStore : DispatchProxy
    {
        private IGatewayStore _inner = null!;

        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IGatewayStore Store => (IGatewayStore)(object)this;

        public static HeldListStore Wrap(IGatewayStore inner)
        {
            var proxy = (HeldListStore)(object)Create<IGatewayStore, HeldListStore>();
            proxy._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            return targetMethod.Name == nameof(IGatewayStore.ListKeysAsync) && Hold is { } hold
                ? HoldAfterAsync((Task<IReadOnlyList<ApiKeyRecord>>)result!, hold)
                : result;
        }

        private async Task<IReadOnlyList<ApiKeyRecord>> HoldAfterAsync(Task<IReadOnlyList<ApiKeyRecord>> read, TaskCompletionSource hold)
        {
            var keys = await read;
            ReadStarted.TrySetResult();
            await hold.Task;
            return keys;
        }
    }
}
