// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;

namespace Charter.FunctionalTests.Policy;

public sealed class PolicyFlagTests
{
    [Fact]
    public async Task Post_FlaggedByRule_ForwardedAndRecordedAsFlagInKeyHistory()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, id) = await gw.CreateKeyAsync();
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("{\"model\":\"gpt-4o-mini\",\"n\":12,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", key);
        req.Headers.Add("Charter-Purpose", "evaluation");

        using var resp = await gw.Http.SendAsync(req);

        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal(1, PolicyGateway.SimA(gw).RequestCount);
        Assert.NotEqual("none", resp.Headers.GetValues("charter-policy-version").Single());
        await gw.WaitForRecordsAsync();
        var history = await PolicyGateway.HistoryAsync(gw, "keys", id);
        var d = Assert.Single(history.GetProperty("decisions").EnumerateArray());
        Assert.Equal("flag", d.GetProperty("decision").GetString());
        Assert.Equal("flag-large-n", d.GetProperty("rule").GetString());
    }
}
