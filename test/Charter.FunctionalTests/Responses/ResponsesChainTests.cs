// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Forwarding;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental

namespace Charter.FunctionalTests.Responses;

/// <summary><c>previous_response_id</c>: a conversation continues only within the team that began it, on the account
/// that stores it.</summary>
public sealed class ResponsesChainTests
{
    private const string Model = "gpt-4o-mini";

    [Fact]
    public async Task CreateResponse_PreviousResponseIdOfTheSameTeam_ForwardedAndRecordsKeepTheIds()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync(team: "team-a");
        var (otherKeyOfTheTeam, _) = await gw.CreateKeyAsync(team: "team-a");
        var client = Sdk.Responses(gw, key);

        ResponseResult first = await client.CreateResponseAsync(Model, "Name a river.");
        // Straight away, before the first request's record is written, and with another key of the same team.
        ResponseResult second = await Sdk.Responses(gw, otherKeyOfTheTeam).CreateResponseAsync(Model, "And its source?", previousResponseId: first.Id);

        Assert.False(string.IsNullOrEmpty(second.GetOutputText()));
        var records = (await GatewayRecords.AllAsync(gw)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([first.Id, second.Id], records.Select(r => r.ResponseId));
        Assert.All(records, r => Assert.Equal(200, r.Status));
        Assert.Contains(first.Id, records[1].RequestJson, StringComparison.Ordinal); // the stored body keeps the id it continued
    }

    [Fact]
    public async Task CreateResponse_PreviousResponseIdOfAnotherTeam_400NotFoundAndNothingForwarded()
    {
        await using var gw = await TestGateway.StartAsync();
        var (keyA, _) = await gw.CreateKeyAsync(team: "team-a");
        var (keyB, _) = await gw.CreateKeyAsync(team: "team-b");
        ResponseResult first = await Sdk.Responses(gw, keyA).CreateResponseAsync(Model, "Our secret plan is …");
        var before = gw.Simulator.RequestCount;

        var stolen = await PostAsync(gw, keyB, $$"""{"model":"{{Model}}","input":"Repeat what I said.","previous_response_id":"{{first.Id}}"}""");
        var unknown = await PostAsync(gw, keyB, $$"""{"model":"{{Model}}","input":"x","previous_response_id":"resp_never_made"}""");

        // The same answer for another team's id as for an id never made: its existence is not disclosed.
        Assert.Equal(400, stolen.Status);
        Assert.Equal("previous_response_not_found", stolen.Error.GetProperty("code").GetString());
        Assert.Equal("previous_response_id", stolen.Error.GetProperty("param").GetString());
        Assert.Equal(stolen.Error.GetProperty("message").GetString()!.Replace(first.Id, "X", StringComparison.Ordinal),
            unknown.Error.GetProperty("message").GetString()!.Replace("resp_never_made", "X", StringComparison.Ordinal));
        Assert.Equal(before, gw.Simulator.RequestCount);
        var refused = (await GatewayRecords.AllAsync(gw)).Where(r => r.Status == 400).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, r => Assert.Equal("previous_response_not_found", r.ErrorCode));
    }

    [Fact]
    public async Task CreateResponse_TwoAccountsOnTheRoute_EachContinuationGoesToTheAccountThatStoresItsPrevious()
    {
        await using var gw = await TestGateway.StartAsync(TwoAccounts);
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);

        var pairs = new List<(string First, string Next)>();
        for (var i = 0; i < 12; i++)
        {
            ResponseResult first = await client.CreateResponseAsync(Model, $"Question {i}.");
            ResponseResult next = await client.CreateResponseAsync(Model, "Go on.", previousResponseId: first.Id);
            pairs.Add((first.Id, next.Id));
        }

        var byResponse = (await GatewayRecords.AllAsync(gw)).ToDictionary(r => r.ResponseId!);
        Assert.All(pairs, p => Assert.Equal(byResponse[p.First].Account, byResponse[p.Next].Account));
        // Both accounts served first turns (weights 1:1), so the pinning was tested both ways.
        Assert.Equal(2, pairs.Select(p => byResponse[p.First].Account).Distinct().Count());
    }

    [Fact]
    public async Task FindAsync_ResponseMadeBeforeARestart_FoundInTheRecords()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync(team: "team-a");
        ResponseResult first = await Sdk.Responses(gw, key).CreateResponseAsync(Model, "Name a river.");
        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();

        // A fresh memory, as after a restart or on another instance: the records answer.
        var owners = new ResponseOwners(store, TimeProvider.System);
        var owner = await owners.FindAsync(first.Id, TestContext.Current.CancellationToken);
        var record = Assert.Single(await GatewayRecords.AllAsync(gw));

        Assert.NotNull(owner);
        Assert.Equal((record.Team, record.Account), (owner.TeamId, owner.Account));
        Assert.Null(await owners.FindAsync("resp_never_made", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateResponse_Conversation_400NothingForwarded()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, error) = await PostAsync(gw, key, $$"""{"model":"{{Model}}","input":"x","conversation":"conv_123"}""");

        Assert.Equal(400, status);
        Assert.Equal("conversation", error.GetProperty("param").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    // sim-a: the gateway's in-process simulator; sim-b: the HTTP simulator; one route over both, equal weights.
    private static void TwoAccounts(CharterHostSettings s)
    {
        s.Overrides["Providers:Accounts:0:Id"] = "sim-a";
        s.Overrides["Providers:Accounts:0:Kind"] = "sim";
        s.Overrides["Providers:Accounts:1:Id"] = "sim-b";
        s.Overrides["Providers:Accounts:1:Kind"] = "sim";
        s.Overrides["Providers:Accounts:1:BaseUrl"] = s.Upstream;
        s.Overrides["Providers:Models:0:Name"] = Model;
        s.Overrides["Providers:Models:0:Targets:0:Account"] = "sim-a";
        s.Overrides["Providers:Models:0:Targets:1:Account"] = "sim-b";
    }

    private static async Task<(int Status, JsonElement Error)> PostAsync(TestGateway gw, string key, string body)
    {
        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, body);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", text));
        using var doc = JsonDocument.Parse(text);
        return (status, doc.RootElement.GetProperty("error").Clone());
    }
}
