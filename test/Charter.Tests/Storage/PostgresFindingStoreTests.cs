// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Detection;
using Charter.Storage.Postgres;

namespace Charter.Tests.Storage;

public sealed class PostgresFindingStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddAsync_DuplicateIgnored_ListNewestFirstWithLimit()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var gateway = new PostgresGatewayStore(database.ConnectionString);
        await gateway.MigrateAsync(TestContext.Current.CancellationToken);
        var store = new PostgresFindingStore(gateway);
        var older = Finding("f1", T0);
        var newer = Finding("f2", T0.AddHours(1));

        await store.AddAsync([older, newer], TestContext.Current.CancellationToken);
        await store.AddAsync([older with { Risk = 0.1 }], TestContext.Current.CancellationToken);

        var all = await store.ListAsync(10, TestContext.Current.CancellationToken);
        Assert.Equal(new[] { "f2", "f1" }, all.Select(f => f.Id));
        Assert.Equal(0.9, all[1].Risk);
        Assert.Equal(new[] { "req_1", "req_2" }, all[1].SampleRequestIds);
        Assert.Equal(0.5, all[1].Signals["distinct_prompts"]);
        Assert.Single(await store.ListAsync(1, TestContext.Current.CancellationToken));
    }

    private static FindingRecord Finding(string id, DateTimeOffset at) =>
        new(id, "key", "k1", "t1", 0.9, at, 120, new Dictionary<string, double> { ["distinct_prompts"] = 0.5 }, ["distinct_prompts"], ["req_1", "req_2"], "review", null);
}
