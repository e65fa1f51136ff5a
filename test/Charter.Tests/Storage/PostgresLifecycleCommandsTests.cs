// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Cli;
using Charter.Detection;
using Charter.Policy.Lifecycle;
using Charter.Storage.Postgres;
using Charter.Tests.Common;

namespace Charter.Tests.Storage;

/// <summary>The offline lifecycle and findings commands with <c>--db postgres://…</c>, invoked in-process.</summary>
public sealed class PostgresLifecycleCommandsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TeamsSuspendThenBan_PostgresDatabase_StateAndHistoryStored()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        Assert.Equal(0, await CliApp.RunAsync(["teams", "create", "research", "--db", database.Url]));

        var suspend = await CliApp.RunAsync(["teams", "suspend", "research", "--reason", "harvesting finding", "--measure", "delete outputs", "--db", database.Url]);
        var ban = await CliApp.RunAsync(["teams", "ban", "research", "--reason", "no remediation", "--db", database.Url]);
        var unknown = await CliApp.RunAsync(["teams", "suspend", "nobody", "--reason", "x", "--db", database.Url]);

        Assert.Equal(0, suspend);
        Assert.Equal(0, ban);
        Assert.Equal(1, unknown);
        await using var store = new PostgresGatewayStore(database.Url);
        var team = await store.FindTeamAsync("research", Ct);
        var lifecycles = new PostgresLifecycleStore(store);
        var state = await lifecycles.GetAsync(EntityKind.Team, team!.Id, Ct);
        Assert.Equal(LifecycleState.Banned, state!.State);
        var history = await lifecycles.GetHistoryAsync(EntityKind.Team, team.Id, Ct);
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task DetectFindings_PostgresDatabase_ListsStoredFindings()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using (var store = new PostgresGatewayStore(database.Url))
        {
            await store.MigrateAsync(Ct);
            await new PostgresFindingStore(store).AddAsync([Finding("f-1")], Ct);
        }

        Assert.Equal(0, await CliApp.RunAsync(["detect", "findings", "--db", database.Url, "--json"]));
    }

    private static FindingRecord Finding(string id) => new(id, "key", "key-1", "team-1", 0.91, DateTimeOffset.UtcNow, 25,
        new Dictionary<string, double> { ["template_reuse"] = 0.9 }, ["template_reuse"], ["req_1"], "suspend", null);
}
