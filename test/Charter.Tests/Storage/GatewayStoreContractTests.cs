// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Charter.Keys;
using Charter.Records;
using Charter.Storage;

namespace Charter.Tests.Storage;

/// <summary>The behaviour every <see cref="IGatewayStore"/> must have; run once per back-end by the subclasses.</summary>
public abstract class GatewayStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 0, 0, 6, 9, TimeSpan.Zero);
    private IGatewayStore? _store;

    protected IGatewayStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync(retainContent: false);
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoresAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a store over this test's own, empty database (repeated calls reach the same database).</summary>
    protected abstract Task<IGatewayStore> CreateStoreAsync(bool retainContent, string? instance = null);

    /// <summary>Releases every store created and deletes the database.</summary>
    protected abstract ValueTask DisposeStoresAsync();

    /// <summary>The raw <c>messages_sha256</c> column of request <paramref name="id"/> (no reader of the store returns it).</summary>
    protected abstract Task<string?> ReadMessagesSha256ColumnAsync(IGatewayStore store, string id);

    [Fact]
    public async Task MigrateAsync_RunTwice_IsIdempotent()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);

        await Store.MigrateAsync(Ct);
        var again = await CreateStoreAsync(retainContent: false);
        await again.MigrateAsync(Ct);

        Assert.Single(await again.ListTeamsAsync(Ct));
    }

    [Fact]
    public async Task CreateTeamAsync_DuplicateName_ReturnsFalseAndKeepsFirst()
    {
        Assert.True(await Store.CreateTeamAsync(Team("t1", "alpha"), Ct));

        Assert.False(await Store.CreateTeamAsync(Team("t2", "alpha"), Ct));
        Assert.False(await Store.CreateTeamAsync(Team("t1", "beta"), Ct));

        var teams = await Store.ListTeamsAsync(Ct);
        Assert.Equal(new[] { "t1" }, teams.Select(t => t.Id));
        Assert.Equal(Team("t1", "alpha"), teams[0]);
    }

    [Fact]
    public async Task FindTeamAsync_ByIdOrName_FindsTeamAndUnknownIsNull()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);

        Assert.Equal("t1", (await Store.FindTeamAsync("t1", Ct))?.Id);
        Assert.Equal("t1", (await Store.FindTeamAsync("alpha", Ct))?.Id);
        Assert.Null(await Store.FindTeamAsync("nope", Ct));
    }

    [Fact]
    public async Task ListTeamsAsync_OrdersByCreatedAtThenName()
    {
        await Store.CreateTeamAsync(Team("t3", "zeta", T0.AddSeconds(1)), Ct);
        await Store.CreateTeamAsync(Team("t2", "beta", T0), Ct);
        await Store.CreateTeamAsync(Team("t1", "Alpha", T0), Ct);

        var teams = await Store.ListTeamsAsync(Ct);

        Assert.Equal(new[] { "Alpha", "beta", "zeta" }, teams.Select(t => t.Name));
    }

    [Fact]
    public async Task CreateKeyAsync_RoundTripsEveryField_ByIdHashAndList()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        var full = Key("k1", "t1", "one") with { Jurisdiction = "EU", Models = ["gpt-4o", "gpt-4o-mini"], Name = "ci" };
        var bare = Key("k2", "t1", "two", T0.AddMinutes(1));

        await Store.CreateKeyAsync(full, Ct);
        await Store.CreateKeyAsync(bare, Ct);

        AssertKey(full, await Store.GetKeyAsync("k1", Ct));
        AssertKey(bare, await Store.FindKeyByHashAsync(Hash("two"), Ct));
        var list = await Store.ListKeysAsync(Ct);
        Assert.Equal(new[] { "k1", "k2" }, list.Select(k => k.Id));
        AssertKey(full, list[0]);
        Assert.Null(await Store.GetKeyAsync("k3", Ct));
        Assert.Null(await Store.FindKeyByHashAsync(Hash("three"), Ct));
    }

    [Fact]
    public async Task CreateKeyAsync_DuplicateHash_Throws()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        await Store.CreateKeyAsync(Key("k1", "t1", "same"), Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateKeyAsync(Key("k2", "t1", "same"), Ct));

        Assert.Single(await Store.ListKeysAsync(Ct));
    }

    [Fact]
    public async Task ChangeVersion_BumpsOnTeamKeyAndStateChanges_NotOnDuplicateTeamOrHistory()
    {
        var v0 = await Store.GetChangeVersionAsync(Ct);
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        var v1 = await Store.GetChangeVersionAsync(Ct);
        await Store.CreateTeamAsync(Team("t2", "alpha"), Ct);
        var v2 = await Store.GetChangeVersionAsync(Ct);
        await Store.CreateKeyAsync(Key("k1", "t1", "one"), Ct);
        var v3 = await Store.GetChangeVersionAsync(Ct);
        await Store.SetEntityStateAsync("key", "k1", "suspended", "{\"state\":\"suspended\"}", Ct);
        var v4 = await Store.GetChangeVersionAsync(Ct);
        await Store.AppendHistoryAsync(History("key", "k1", "suspend", T0), Ct);
        await Store.CreateAdminKeyAsync(new AdminKeyRecord { Id = "a1", Hash = Hash("admin"), Role = "admin", CreatedAt = T0 }, Ct);
        var v5 = await Store.GetChangeVersionAsync(Ct);

        Assert.Equal(0, v0);
        Assert.True(v1 > v0);
        Assert.Equal(v1, v2);
        Assert.True(v3 > v2);
        Assert.True(v4 > v3);
        Assert.Equal(v4, v5);
    }

    [Fact]
    public async Task SetEntityStateAsync_KeyTeamAndAccount_StoresStateAndLifecycle()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        await Store.CreateKeyAsync(Key("k1", "t1", "one"), Ct);

        await Store.SetEntityStateAsync("key", "k1", "suspended", "{\"k\":1}", Ct);
        await Store.SetEntityStateAsync("team", "t1", "under_review", "{\"t\":1}", Ct);
        await Store.SetEntityStateAsync("account", "acct-1", "banned", "{\"a\":1}", Ct);
        await Store.SetEntityStateAsync("account", "acct-1", "active", null, Ct);

        Assert.Equal("suspended", (await Store.GetKeyAsync("k1", Ct))?.State);
        Assert.Equal("{\"k\":1}", await Store.GetEntityLifecycleAsync("key", "k1", Ct));
        Assert.Equal("under_review", (await Store.FindTeamAsync("t1", Ct))?.State);
        Assert.Equal("{\"t\":1}", await Store.GetEntityLifecycleAsync("team", "t1", Ct));
        Assert.Null(await Store.GetEntityLifecycleAsync("account", "acct-1", Ct));
        Assert.Null(await Store.GetEntityLifecycleAsync("key", "missing", Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetEntityStateAsync("user", "u", "active", null, Ct));
    }

    [Fact]
    public async Task GetHistoryAsync_ReturnsOneEntityOldestFirst_WithAllFields()
    {
        var first = History("key", "k1", "review", T0.AddMinutes(5)) with { From = "active", To = "under_review", Reason = "spike", Detail = "{\"x\":1}" };
        var second = History("key", "k1", "suspend", T0) with { From = "under_review", To = "suspended" };
        await Store.AppendHistoryAsync(first, Ct);
        await Store.AppendHistoryAsync(History("team", "k1", "review", T0), Ct);
        await Store.AppendHistoryAsync(second, Ct);

        var history = await Store.GetHistoryAsync("key", "k1", Ct);

        Assert.Equal(new[] { first, second }, history);
        Assert.Empty(await Store.GetHistoryAsync("key", "k2", Ct));
    }

    [Fact]
    public async Task AdminKeys_CreateAndFindByHash_DuplicateIgnored()
    {
        var key = new AdminKeyRecord { Id = "a1", Hash = Hash("admin"), Role = "auditor", Name = "ops", CreatedAt = T0 };
        await Store.CreateAdminKeyAsync(key, Ct);
        await Store.CreateAdminKeyAsync(key with { Role = "admin" }, Ct);

        var found = await Store.FindAdminKeyByHashAsync(Hash("admin"), Ct);

        Assert.NotNull(found);
        Assert.Equal(("a1", "auditor", "ops", T0), (found.Id, found.Role, found.Name, found.CreatedAt));
        Assert.Equal(key.Hash, found.Hash);
        Assert.Null(await Store.FindAdminKeyByHashAsync(Hash("other"), Ct));
    }

    [Fact]
    public async Task AdminKeys_CreatedByAndExpiry_RoundTripAndListOldestFirst()
    {
        var later = new AdminKeyRecord { Id = "a2", Hash = Hash("second"), Role = "admin", CreatedAt = T0.AddMinutes(1), CreatedBy = "bootstrap", ExpiresAt = T0.AddDays(30) };
        var first = new AdminKeyRecord { Id = "a1", Hash = Hash("first"), Role = "auditor", Name = "ops", CreatedAt = T0, CreatedBy = "cli" };
        await Store.CreateAdminKeyAsync(later, Ct);
        await Store.CreateAdminKeyAsync(first, Ct);

        var list = await Store.ListAdminKeysAsync(Ct);
        var found = await Store.FindAdminKeyByHashAsync(Hash("second"), Ct);

        Assert.Equal(new[] { "a1", "a2" }, list.Select(k => k.Id));
        Assert.Equal(("auditor", "ops", "cli", (DateTimeOffset?)null, (DateTimeOffset?)null), (list[0].Role, list[0].Name, list[0].CreatedBy, list[0].ExpiresAt, list[0].RevokedAt));
        Assert.NotNull(found);
        Assert.Equal(("a2", "bootstrap", (DateTimeOffset?)T0.AddDays(30), (DateTimeOffset?)null), (found.Id, found.CreatedBy, found.ExpiresAt, found.RevokedAt));
    }

    [Fact]
    public async Task RevokeAdminKeyAsync_OnceThenAgainThenUnknown_TrueFalseFalse_VersionBumpedOnce()
    {
        await Store.CreateAdminKeyAsync(new AdminKeyRecord { Id = "a1", Hash = Hash("admin"), Role = "admin", CreatedAt = T0 }, Ct);
        var v0 = await Store.GetChangeVersionAsync(Ct);

        var first = await Store.RevokeAdminKeyAsync("a1", T0.AddHours(1), Ct);
        var v1 = await Store.GetChangeVersionAsync(Ct);
        var again = await Store.RevokeAdminKeyAsync("a1", T0.AddHours(2), Ct);
        var unknown = await Store.RevokeAdminKeyAsync("a9", T0.AddHours(2), Ct);
        var v2 = await Store.GetChangeVersionAsync(Ct);

        Assert.Equal((true, false, false), (first, again, unknown));
        Assert.True(v1 > v0);
        Assert.Equal(v1, v2);
        Assert.Equal(T0.AddHours(1), (await Store.FindAdminKeyByHashAsync(Hash("admin"), Ct))!.RevokedAt);
        Assert.Equal(T0.AddHours(1), Assert.Single(await Store.ListAdminKeysAsync(Ct)).RevokedAt);
    }

    [Fact]
    public async Task CreateKeyAsync_ExpiresAt_RoundTripsAndNullStaysNull()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        await Store.CreateKeyAsync(Key("k1", "t1", "one") with { ExpiresAt = T0.AddDays(90) }, Ct);
        await Store.CreateKeyAsync(Key("k2", "t1", "two"), Ct);

        Assert.Equal(T0.AddDays(90), (await Store.GetKeyAsync("k1", Ct))!.ExpiresAt);
        Assert.Equal(T0.AddDays(90), (await Store.FindKeyByHashAsync(Hash("one"), Ct))!.ExpiresAt);
        Assert.Null((await Store.GetKeyAsync("k2", Ct))!.ExpiresAt);
        Assert.Equal(new DateTimeOffset?[] { T0.AddDays(90), null }, (await Store.ListKeysAsync(Ct)).Select(k => k.ExpiresAt));
    }

    [Fact]
    public async Task IntegrateAsync_RequestThenCompletion_FillsRecordAndRedactsMessages()
    {
        var request = RequestEvent("r1", T0);
        var completion = CompletionEvent("r1");

        await Store.IntegrateAsync([request, completion], new JournalPosition(1, 100), Ct);

        var records = await ReadAllAsync(Store);
        var r = Assert.Single(records);
        Assert.Equal(T0, r.Ts);
        Assert.Equal(("k1", "t1", "openai", "acct-2", "gpt-4o", "evaluation", "chat.completions"), (r.Key, r.Team, r.Provider, r.Account, r.Model, r.Purpose, r.Endpoint));
        Assert.Equal((21, 1982, true, 200, (string?)null, 12.5, 1234L), (r.PromptTokens, r.CompletionTokens, r.Estimated, r.Status, r.ErrorCode, r.LatencyMs, r.CostNanos));
        Assert.Equal(("allow", (string?)"rule-1", (string?)"run-9", (string?)"pv-1"), (r.Decision, r.Rule, r.EvalRun, r.PolicyVersion));
        Assert.NotNull(r.RequestJson);
        Assert.DoesNotContain("top secret prompt", r.RequestJson, StringComparison.Ordinal);
        Assert.Contains("\"sha256:abc123\"", r.RequestJson, StringComparison.Ordinal);
        Assert.Contains("\"max_tokens\":5", r.RequestJson, StringComparison.Ordinal);
        Assert.Equal(new JournalPosition(1, 100), await Store.GetJournalPositionAsync(Ct));
    }

    [Fact]
    public async Task IntegrateAsync_CompletionInLaterBatch_SameRecordAsInOneBatch()
    {
        await Store.IntegrateAsync([RequestEvent("r1", T0)], new JournalPosition(1, 50), Ct);
        var pending = Assert.Single(await ReadAllAsync(Store));
        Assert.Null(pending.Status);
        Assert.Null(pending.PromptTokens);

        await Store.IntegrateAsync([CompletionEvent("r1")], new JournalPosition(1, 100), Ct);

        var r = Assert.Single(await ReadAllAsync(Store));
        Assert.Equal(("openai", "acct-2"), (r.Provider, r.Account));
        Assert.Equal((21, 1982, true, 200, (string?)null, 12.5, 1234L), (r.PromptTokens, r.CompletionTokens, r.Estimated, r.Status, r.ErrorCode, r.LatencyMs, r.CostNanos));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IntegrateAsync_StreamCompletion_KeepsItsFirstTokenTime(bool sameBatch)
    {
        var completion = CompletionEvent("r1");
        completion.FirstTokenMs = 7.25;
        if (sameBatch)
        {
            await Store.IntegrateAsync([RequestEvent("r1", T0), completion, RequestEvent("r2", T0), CompletionEvent("r2")], new JournalPosition(1, 100), Ct);
        }
        else
        {
            await Store.IntegrateAsync([RequestEvent("r1", T0), RequestEvent("r2", T0)], new JournalPosition(1, 50), Ct);
            await Store.IntegrateAsync([completion, CompletionEvent("r2")], new JournalPosition(1, 100), Ct);
        }

        var records = (await ReadAllAsync(Store)).ToDictionary(r => r.Id);
        Assert.Equal(7.25, records["r1"].FirstTokenMs);
        Assert.Null(records["r2"].FirstTokenMs); // not a stream
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FindResponseOwnerAsync_CompletionWithResponseId_FindsItsTeamAccountAndModel(bool sameBatch)
    {
        var completion = CompletionEvent("r1");
        completion.ResponseId = "resp_abc";
        if (sameBatch)
        {
            await Store.IntegrateAsync([RequestEvent("r1", T0), completion, RequestEvent("r2", T0), CompletionEvent("r2")], new JournalPosition(1, 100), Ct);
        }
        else
        {
            await Store.IntegrateAsync([RequestEvent("r1", T0), RequestEvent("r2", T0)], new JournalPosition(1, 50), Ct);
            await Store.IntegrateAsync([completion, CompletionEvent("r2")], new JournalPosition(1, 100), Ct);
        }

        var owner = await Store.FindResponseOwnerAsync("resp_abc", Ct);
        var records = (await ReadAllAsync(Store)).ToDictionary(r => r.Id);

        Assert.NotNull(owner);
        Assert.Equal((records["r1"].Team, records["r1"].Account, records["r1"].Model), (owner.TeamId, owner.Account, owner.Model));
        Assert.Equal("resp_abc", records["r1"].ResponseId);
        Assert.Null(records["r2"].ResponseId);
        Assert.Null(await Store.FindResponseOwnerAsync("resp_other", Ct));
    }

    [Fact]
    public async Task JournalPositions_TwoInstancesOnOneDatabase_KeptApart()
    {
        var a = await CreateStoreAsync(retainContent: false, instance: "instance-a");
        var b = await CreateStoreAsync(retainContent: false, instance: "instance-b");

        await a.IntegrateAsync([RequestEvent("ra", T0)], new JournalPosition(7, 700), Ct);
        await b.IntegrateAsync([RequestEvent("rb", T0)], new JournalPosition(2, 20), Ct);
        await a.SetConsumerPositionAsync("audit", new JournalPosition(7, 650), Ct);

        Assert.Equal(new JournalPosition(7, 700), await a.GetJournalPositionAsync(Ct));
        Assert.Equal(new JournalPosition(2, 20), await b.GetJournalPositionAsync(Ct));
        Assert.Equal(new JournalPosition(7, 650), await a.GetConsumerPositionAsync("audit", Ct));
        Assert.Null(await b.GetConsumerPositionAsync("audit", Ct));
        Assert.Equal(default, await Store.GetJournalPositionAsync(Ct));
        Assert.Equal(2, await Store.CountRequestsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task IntegrateAsync_RetainContent_KeepsMessages()
    {
        var retaining = await CreateStoreAsync(retainContent: true);

        await retaining.IntegrateAsync([RequestEvent("r1", T0)], new JournalPosition(0, 10), Ct);

        var r = Assert.Single(await ReadAllAsync(retaining));
        Assert.Contains("top secret prompt", r.RequestJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntegrateAsync_MessagesHash_StoredOnceInTheBodyOrElseInItsColumn()
    {
        var retaining = await CreateStoreAsync(retainContent: true);
        var unparsable = RequestEvent("r3", T0);
        unparsable.Body = "not json"u8.ToArray();
        var noBody = RequestEvent("r4", T0);
        noBody.Body = default;

        await Store.IntegrateAsync([RequestEvent("r1", T0), unparsable, noBody], new JournalPosition(0, 10), Ct);
        await retaining.IntegrateAsync([RequestEvent("r2", T0)], new JournalPosition(0, 20), Ct);

        // Redacted, the body holds "messages":"sha256:<hex>" and the column stays empty; otherwise the column has it.
        var stored = (await ReadAllAsync(Store)).ToDictionary(r => r.Id);
        Assert.Contains("\"messages\":\"sha256:abc123\"", stored["r1"].RequestJson, StringComparison.Ordinal);
        Assert.Null(await ReadMessagesSha256ColumnAsync(Store, "r1"));
        Assert.Equal("abc123", await ReadMessagesSha256ColumnAsync(retaining, "r2"));
        Assert.Equal(("{\"redacted\":true}", "abc123"), (stored["r3"].RequestJson, await ReadMessagesSha256ColumnAsync(Store, "r3")));
        Assert.Equal((null, "abc123"), (stored["r4"].RequestJson, await ReadMessagesSha256ColumnAsync(Store, "r4")));
    }

    [Fact]
    public async Task IntegrateAsync_DeniedRequest_KeepsStatusCodeAndNoLatencyWithoutStatus()
    {
        var denied = new JournalEvent
        {
            Kind = "request", Id = "d1", Ts = T0, Key = "k1", Decision = "deny", Rule = "no-distill", Status = 403, Code = "charter_policy_denied", LatencyMs = 1.5,
        };
        var pending = new JournalEvent { Kind = "request", Id = "p1", Ts = T0.AddSeconds(1), LatencyMs = 9 };

        await Store.IntegrateAsync([denied, pending], new JournalPosition(0, 1), Ct);

        var records = await ReadAllAsync(Store);
        Assert.Equal(2, records.Count);
        Assert.Equal((403, "charter_policy_denied", 1.5, "deny", "no-distill"), (records[0].Status!.Value, records[0].ErrorCode!, records[0].LatencyMs!.Value, records[0].Decision!, records[0].Rule!));
        Assert.Null(records[0].RequestJson);
        Assert.Null(records[1].LatencyMs);
        Assert.Null(records[1].Status);
        Assert.False(records[1].Estimated);
    }

    [Fact]
    public async Task IntegrateAsync_SameEventsTwice_IsIdempotent()
    {
        var events = new[] { RequestEvent("r1", T0), CompletionEvent("r1"), RequestEvent("r2", T0.AddSeconds(1)) };
        await Store.IntegrateAsync(events, new JournalPosition(1, 100), Ct);

        var replay = new[] { RequestEvent("r1", T0, model: "changed"), CompletionEvent("r1"), RequestEvent("r2", T0.AddSeconds(1)) };
        await Store.IntegrateAsync(replay, new JournalPosition(1, 100), Ct);

        Assert.Equal(2, await Store.CountRequestsAsync(cancellationToken: Ct));
        Assert.Equal(1, await Store.CountRequestsAsync("r1", Ct));
        Assert.Equal(0, await Store.CountRequestsAsync("r3", Ct));
        var records = await ReadAllAsync(Store);
        Assert.Equal("gpt-4o", records[0].Model);
        Assert.Equal(1982, records[0].CompletionTokens);
    }

    [Fact]
    public async Task IntegrateAsync_Cancelled_LeavesRecordsAndPositionUnchanged()
    {
        await Store.IntegrateAsync([RequestEvent("r1", T0)], new JournalPosition(1, 10), Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.IntegrateAsync([RequestEvent("r2", T0)], new JournalPosition(1, 20), cancelled.Token));

        Assert.Equal(new JournalPosition(1, 10), await Store.GetJournalPositionAsync(Ct));
        Assert.Equal(1, await Store.CountRequestsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task IntegrateAsync_CompletionWithoutProvider_KeepsProviderFromRequest()
    {
        var completion = CompletionEvent("r1");
        completion.Provider = null;
        completion.Account = null;

        await Store.IntegrateAsync([RequestEvent("r1", T0), completion], new JournalPosition(0, 5), Ct);

        var r = Assert.Single(await ReadAllAsync(Store));
        Assert.Equal(("openai", "acct-1"), (r.Provider, r.Account));
    }

    [Fact]
    public async Task JournalPosition_EmptyStore_IsDefaultAndMovesWithEachBatch()
    {
        Assert.Equal(default, await Store.GetJournalPositionAsync(Ct));

        await Store.IntegrateAsync([], new JournalPosition(3, 7), Ct);
        await Store.IntegrateAsync([RequestEvent("r1", T0)], new JournalPosition(4, 0), Ct);

        Assert.Equal(new JournalPosition(4, 0), await Store.GetJournalPositionAsync(Ct));
        Assert.Equal(new JournalPosition(4, 0), await Store.GetConsumerPositionAsync("records", Ct));
    }

    [Fact]
    public async Task ConsumerPositions_SetAndOverwrite_IndependentPerConsumer()
    {
        Assert.Null(await Store.GetConsumerPositionAsync("audit", Ct));

        await Store.SetConsumerPositionAsync("audit", new JournalPosition(1, 2), Ct);
        await Store.SetConsumerPositionAsync("detect", new JournalPosition(5, 6), Ct);
        await Store.SetConsumerPositionAsync("audit", new JournalPosition(3, 4), Ct);

        Assert.Equal(new JournalPosition(3, 4), await Store.GetConsumerPositionAsync("audit", Ct));
        Assert.Equal(new JournalPosition(5, 6), await Store.GetConsumerPositionAsync("detect", Ct));
        Assert.Equal(default, await Store.GetJournalPositionAsync(Ct));
    }

    [Fact]
    public async Task ReadRequestsAsync_FiltersInclusiveRangeAndOrdersByTimeThenId()
    {
        await Store.IntegrateAsync(
            [RequestEvent("r4", T0.AddMinutes(3)), RequestEvent("r2", T0.AddMinutes(1)), RequestEvent("r1", T0), RequestEvent("r3b", T0.AddMinutes(2)), RequestEvent("r3a", T0.AddMinutes(2))],
            new JournalPosition(0, 1),
            Ct);

        var all = await ReadAllAsync(Store);
        var window = new List<string>();
        await foreach (var r in Store.ReadRequestsAsync(T0.AddMinutes(1), T0.AddMinutes(2), Ct))
        {
            window.Add(r.Id);
        }

        var open = new List<string>();
        await foreach (var r in Store.ReadRequestsAsync(T0.AddMinutes(2), null, Ct))
        {
            open.Add(r.Id);
        }

        Assert.Equal(new[] { "r1", "r2", "r3a", "r3b", "r4" }, all.Select(r => r.Id));
        Assert.Equal(new[] { "r2", "r3a", "r3b" }, window);
        Assert.Equal(new[] { "r3a", "r3b", "r4" }, open);
    }

    [Fact]
    public async Task UpdateKeyAsync_ChangesTheEditableColumnsOnly_VersionBumped()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        var key = Key("k1", "t1", "one") with { Jurisdiction = "DE", Models = ["gpt-4o"] };
        await Store.CreateKeyAsync(key, Ct);
        var v0 = await Store.GetChangeVersionAsync(Ct);

        await Store.UpdateKeyAsync(key with { Name = "ci", Purposes = ["testing"], DefaultPurpose = "testing", Jurisdiction = null, Models = null,
            ExpiresAt = T0.AddDays(3), State = "suspended", Prefix = "ck-else" }, Ct);

        var stored = await Store.GetKeyAsync("k1", Ct);
        Assert.NotNull(stored);
        Assert.Equal(("ci", "testing", (string?)null, (DateTimeOffset?)T0.AddDays(3)), (stored.Name, stored.DefaultPurpose, stored.Jurisdiction, stored.ExpiresAt));
        Assert.Equal(["testing"], stored.Purposes);
        Assert.Null(stored.Models);
        Assert.Equal(("active", key.Prefix), (stored.State, stored.Prefix));
        Assert.Equal(Hash("one"), stored.Hash);
        Assert.True(await Store.GetChangeVersionAsync(Ct) > v0);
    }

    [Fact]
    public async Task RotateKeyAsync_NewHashAndPrevious_FoundByEither_VersionBumped_UnknownFalse()
    {
        await Store.CreateTeamAsync(Team("t1", "alpha"), Ct);
        await Store.CreateKeyAsync(Key("k1", "t1", "one"), Ct);
        var v0 = await Store.GetChangeVersionAsync(Ct);

        var rotated = await Store.RotateKeyAsync("k1", Hash("two"), "ck-two", Hash("one"), T0.AddHours(1), Ct);
        var unknown = await Store.RotateKeyAsync("k9", Hash("nine"), "ck-nine", null, null, Ct);
        var v1 = await Store.GetChangeVersionAsync(Ct);
        var byNew = await Store.FindKeyByHashAsync(Hash("two"), Ct);
        var byOld = await Store.FindKeyByHashAsync(Hash("one"), Ct);
        await Store.RotateKeyAsync("k1", Hash("three"), "ck-thre", null, null, Ct);

        Assert.Equal((true, false), (rotated, unknown));
        Assert.True(v1 > v0);
        Assert.Equal(("k1", "ck-two", (DateTimeOffset?)T0.AddHours(1)), (byNew?.Id, byNew?.Prefix, byNew?.PreviousExpiresAt));
        Assert.Equal(Hash("two"), byNew!.Hash);
        Assert.Equal(Hash("one"), byNew.PreviousHash);
        Assert.Equal("k1", byOld?.Id);
        Assert.Null(await Store.FindKeyByHashAsync(Hash("one"), Ct));
        Assert.Null(await Store.FindKeyByHashAsync(Hash("two"), Ct));
        var last = await Store.GetKeyAsync("k1", Ct);
        Assert.Equal(Hash("three"), last!.Hash);
        Assert.Equal(((byte[]?)null, (DateTimeOffset?)null), (last.PreviousHash, last.PreviousExpiresAt));
    }

    [Fact]
    public async Task ReadLatestRequestsAsync_NewestN_ReturnedOldestFirst()
    {
        await Store.IntegrateAsync(
            [RequestEvent("r4", T0.AddMinutes(3)), RequestEvent("r2", T0.AddMinutes(1)), RequestEvent("r1", T0), RequestEvent("r3b", T0.AddMinutes(2)), RequestEvent("r3a", T0.AddMinutes(2))],
            new JournalPosition(0, 1),
            Ct);

        var three = await Store.ReadLatestRequestsAsync(3, Ct);
        var all = await Store.ReadLatestRequestsAsync(100, Ct);

        Assert.Equal(new[] { "r3a", "r3b", "r4" }, three.Select(r => r.Id));
        Assert.Equal(new[] { "r1", "r2", "r3a", "r3b", "r4" }, all.Select(r => r.Id));
        Assert.Equal("gpt-4o", three[^1].Model);
    }

    [Fact]
    public async Task Timestamps_SubMillisecondInput_ReadBackAsUtcMilliseconds()
    {
        var local = new DateTimeOffset(2026, 10, 5, 2, 0, 6, 9, TimeSpan.FromHours(2)).AddTicks(4321);
        await Store.CreateTeamAsync(Team("t1", "alpha", local), Ct);
        await Store.IntegrateAsync([RequestEvent("r1", local)], new JournalPosition(0, 1), Ct);

        var team = await Store.FindTeamAsync("t1", Ct);
        var record = Assert.Single(await ReadAllAsync(Store));

        Assert.Equal(T0, team!.CreatedAt);
        Assert.Equal(TimeSpan.Zero, team.CreatedAt.Offset);
        Assert.Equal(T0, record.Ts);
        Assert.Equal(TimeSpan.Zero, record.Ts.Offset);
    }

    protected static async Task<List<RequestRecord>> ReadAllAsync(IGatewayStore store)
    {
        var list = new List<RequestRecord>();
        await foreach (var r in store.ReadRequestsAsync(null, null, Ct))
        {
            list.Add(r);
        }

        return list;
    }

    private static TeamRecord Team(string id, string name, DateTimeOffset? at = null) => new() { Id = id, Name = name, CreatedAt = at ?? T0 };

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static ApiKeyRecord Key(string id, string team, string secret, DateTimeOffset? at = null) => new()
    {
        Id = id,
        TeamId = team,
        Hash = Hash(secret),
        Prefix = "ck-" + secret[..2],
        Purposes = ["evaluation", "testing"],
        DefaultPurpose = "evaluation",
        CreatedAt = at ?? T0,
    };

    private static void AssertKey(ApiKeyRecord expected, ApiKeyRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Hash, actual.Hash);
        Assert.Equal(expected.Purposes, actual.Purposes);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected with { Hash = actual.Hash, Purposes = actual.Purposes, Models = actual.Models }, actual);
    }

    private static HistoryEntry History(string type, string id, string ev, DateTimeOffset at) => new() { EntityType = type, EntityId = id, Event = ev, At = at, Actor = "admin:ops" };

    private static JournalEvent RequestEvent(string id, DateTimeOffset ts, string model = "gpt-4o") => new()
    {
        Kind = "request",
        Id = id,
        Ts = ts,
        Key = "k1",
        Team = "t1",
        Provider = "openai",
        Account = "acct-1",
        Model = model,
        Purpose = "evaluation",
        Endpoint = "chat.completions",
        Decision = "allow",
        Rule = "rule-1",
        EvalRun = "run-9",
        PolicyVersion = "pv-1",
        MessagesSha256 = "abc123",
        Body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"top secret prompt\"}],\"max_tokens\":5}"),
    };

    private static JournalEvent CompletionEvent(string id) => new()
    {
        Kind = "completion",
        Id = id,
        Ts = T0,
        Status = 200,
        PromptTokens = 21,
        CompletionTokens = 1982,
        Estimated = true,
        LatencyMs = 12.5,
        Provider = "openai",
        Account = "acct-2",
        CostNanos = 1234,
    };
}
