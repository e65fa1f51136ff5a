// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Admin;
using Charter.Hosting;
using Charter.Keys;
using Charter.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Charter.FunctionalTests.MultiInstance;

/// <summary>A revocation announced on the change bus makes another instance's key cache reload without waiting for a poll.</summary>
public sealed class ChangeInvalidationTests
{
    [Fact]
    public async Task RevokeKey_AnnouncedOnBus_OtherInstanceCacheReloads()
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-inval-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        try
        {
            var store = new SqliteGatewayStore(Path.Combine(dir, "charter.db"));
            await store.MigrateAsync();
            var bus = new LocalChangeNotifier(NullLogger<LocalChangeNotifier>.Instance);
            var registryA = new KeyRegistry(store);
            var registryB = new KeyRegistry(store);
            var adminA = new AdminService(store, TimeProvider.System, registryA, null, bus);
            var (first, firstSecret) = (await adminA.CreateKeyAsync(new CreateKeyRequest("t", ["testing"], null, null, null, null), "test")).Value;
            var (second, secondSecret) = (await adminA.CreateKeyAsync(new CreateKeyRequest("t", ["testing"], null, null, null, null), "test")).Value;
            await registryB.ReloadAsync();

            // Nobody listening on B: B keeps serving its cached copy (only the periodic poll would fix it).
            await adminA.RevokeKeyAsync(first.Id, "test", "control");
            Assert.Equal("active", (await registryB.AuthenticateAsync(firstSecret))!.State);

            using var services = new ServiceCollection().BuildServiceProvider();
            using var invalidation = new ChangeInvalidationService(bus, registryB, services, NullLogger<ChangeInvalidationService>.Instance);
            await invalidation.StartAsync(CancellationToken.None);
            try
            {
                await adminA.RevokeKeyAsync(second.Id, "test", "compromised");
                string? state = null;
                for (var i = 0; i < 200 && state != "revoked"; i++)
                {
                    state = (await registryB.AuthenticateAsync(secondSecret))?.State;
                    if (state != "revoked")
                    {
                        await Task.Delay(25);
                    }
                }

                Assert.Equal("revoked", state);
                Assert.Equal("revoked", (await registryB.AuthenticateAsync(firstSecret))!.State);
                Assert.True(invalidation.Reloads >= 1);
            }
            finally
            {
                await invalidation.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
