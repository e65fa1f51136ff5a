// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text.Json;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental

namespace Charter.FunctionalTests.Responses;

/// <summary>Stored responses (<c>GET</c>/<c>DELETE /v1/responses/{id}</c>, <c>input_items</c>, <c>cancel</c>): only their
/// team reaches them, at the account that stores them, and every call has its record.</summary>
public sealed class StoredResponsesTests
{
    private const string Model = "gpt-4o-mini";

    [Fact]
    public async Task GetResponse_OwnTeam_ReturnsTheStoredAnswerAndRecordsTheCall()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync(team: "team-a");
        var (otherKeyOfTheTeam, _) = await gw.CreateKeyAsync(team: "team-a");
        ResponseResult created = await Sdk.Responses(gw, key).CreateResponseAsync(Model, "Name a river.");

        ResponseResult fetched = await Sdk.Responses(gw, otherKeyOfTheTeam).GetResponseAsync(created.Id);
        var items = new List<ResponseItem>();
        await foreach (var item in Sdk.Responses(gw, key).GetResponseInputItemsAsync(created.Id))
        {
            items.Add(item);
        }

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.GetOutputText(), fetched.GetOutputText());
        Assert.Single(items);
        var records = await GatewayRecords.AllAsync(gw);
        var retrieve = Assert.Single(records, r => r.Endpoint == "responses.retrieve");
        Assert.Equal((200, "allow"), (retrieve.Status, retrieve.Decision));
        Assert.Null(retrieve.RequestJson);
        Assert.Equal(records.Single(r => r.Endpoint == "responses").Account, retrieve.Account);
        Assert.Single(records, r => r.Endpoint == "responses.input_items" && r.Status == 200 && r.Key == keyId);
    }

    [Fact]
    public async Task StoredResponseRoutes_AnotherTeamOrUnknownId_404AndNothingForwarded()
    {
        await using var gw = await TestGateway.StartAsync();
        var (keyA, _) = await gw.CreateKeyAsync(team: "team-a");
        var (keyB, _) = await gw.CreateKeyAsync(team: "team-b");
        ResponseResult created = await Sdk.Responses(gw, keyA).CreateResponseAsync(Model, "Our plan.");
        var before = gw.Simulator.RequestCount;

        foreach (var (method, path) in new[] { ("GET", ""), ("DELETE", ""), ("GET", "/input_items"), ("POST", "/cancel") })
        {
            var stolen = await SendAsync(gw, keyB, method, $"v1/responses/{created.Id}{path}");
            var unknown = await SendAsync(gw, keyA, method, $"v1/responses/resp_never_made{path}");

            Assert.Equal((404, 404), (stolen.Status, unknown.Status));
            Assert.Equal("response_not_found", stolen.Error.GetProperty("code").GetString());
            Assert.Equal($"No response found with id '{created.Id}'.", stolen.Error.GetProperty("message").GetString());
        }

        Assert.Equal(before, gw.Simulator.RequestCount);
        // Still there for its own team.
        Assert.Equal(created.Id, (await Sdk.Responses(gw, keyA).GetResponseAsync(created.Id)).Value.Id);
    }

    [Fact]
    public async Task DeleteResponse_OwnTeam_DeletedAtTheUpstreamThenGetIs404FromIt()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);
        ResponseResult created = await client.CreateResponseAsync(Model, "Name a lake.");

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(created.Id);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));

        Assert.True(deleted.Deleted);
        Assert.Equal(404, gone.Status);
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Single(records, r => r.Endpoint == "responses.delete" && r.Status == 200);
        Assert.Single(records, r => r.Endpoint == "responses.retrieve" && r.Status == 404 && r.ErrorCode == "upstream_404");
    }

    [Fact]
    public async Task CancelAndStream_NotABackgroundResponse_400FromUpstreamAnd400FromCharter()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        ResponseResult created = await Sdk.Responses(gw, key).CreateResponseAsync(Model, "Name a sea.");
        var before = gw.Simulator.RequestCount;

        var cancel = await SendAsync(gw, key, "POST", $"v1/responses/{created.Id}/cancel");
        var stream = await SendAsync(gw, key, "GET", $"v1/responses/{created.Id}?stream=true");

        Assert.Equal(400, cancel.Status); // the upstream's answer: only background responses can be cancelled
        Assert.Equal(before + 1, gw.Simulator.RequestCount);
        Assert.Equal((400, "stream"), (stream.Status, stream.Error.GetProperty("param").GetString()));
    }

    [Fact]
    public async Task GetResponse_RequestsPerMinuteSpent_429WithRetryAfterAndNothingForwarded()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["limits:key_defaults:requests_per_minute"] = "2");
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);
        ResponseResult created = await client.CreateResponseAsync(Model, "Name a bay.");
        Assert.Equal(created.Id, (await client.GetResponseAsync(created.Id)).Value.Id); // the second request of the minute
        var before = gw.Simulator.RequestCount;

        var limited = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));

        Assert.Equal(429, limited.Status);
        Assert.True(limited.GetRawResponse()!.Headers.TryGetValue("retry-after", out _));
        Assert.Equal(before, gw.Simulator.RequestCount);
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Single(records, r => r.Endpoint == "responses.retrieve" && r.Status == 429);
    }

    [Theory]
    [InlineData("POST", "v1/responses/resp_1", 405)]
    [InlineData("PUT", "v1/responses/resp_1/input_items", 405)]
    [InlineData("GET", "v1/responses/resp_1/cancel", 405)]
    [InlineData("GET", "v1/responses/resp_1/other", 404)]
    public async Task StoredResponseRoutes_WrongMethodOrPath_OpenAiShapedRefusal(string method, string path, int expected)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, _) = await SendAsync(gw, key, method, path);

        Assert.Equal(expected, status);
    }

    private static async Task<(int Status, JsonElement Error)> SendAsync(TestGateway gw, string key, string method, string path)
    {
        using var req = new HttpRequestMessage(new HttpMethod(method), path);
        req.Headers.Authorization = new("Bearer", key);
        if (method == "POST")
        {
            req.Content = new StringContent("");
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        var text = await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", text));
        using var doc = JsonDocument.Parse(text);
        return ((int)resp.StatusCode, doc.RootElement.GetProperty("error").Clone());
    }
}
