// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>Stored Responses API answers: <c>GET|DELETE /v1/responses/{id}</c>, <c>GET …/{id}/input_items</c>, <c>POST …/{id}/cancel</c>
/// (and the Azure v1 forms under <c>/openai/v1</c>), and <c>previous_response_id</c> checked against them.</summary>
public sealed class SimulatorStoredResponsesTests
{
    private const string Path = "/v1/responses";

    // Spec members required of each answer (components/schemas, read from the spec by hand).
    private static readonly string[] s_responseRequired =
    [
        "id", "object", "created_at", "error", "incomplete_details", "instructions", "model", "tools", "output", "parallel_tool_calls",
        "metadata", "tool_choice", "temperature", "top_p",
    ];

    private static readonly string[] s_itemListRequired = ["object", "data", "has_more", "first_id", "last_id"];

    [Fact]
    public async Task Get_AfterCreate_SameBytesAsTheCreatedAnswer()
    {
        using var client = new SimTestClient();
        var (status, created) = await SendAsync(client, HttpMethod.Post, Path, Body());
        var id = Id(created);

        var (getStatus, got) = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(created, got);
        AssertRequired(got, s_responseRequired);
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "response_get"));
    }

    [Theory]
    [InlineData("", "response.completed", "completed")]
    [InlineData(",\"max_output_tokens\":16", "response.incomplete", "incomplete")]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"name\":\"search\"}],\"tool_choice\":\"required\"", "response.completed", "completed")]
    public async Task Get_AfterStreamedCreate_SameBytesAsTheFinalEventsResponse(string extra, string finalEvent, string expectedStatus)
    {
        using var client = new SimTestClient();
        var sse = await StreamAsync(client, Path, Body(extra: ",\"stream\":true" + extra));
        var final = FinalResponse(sse, finalEvent);

        var (status, got) = await SendAsync(client, HttpMethod.Get, $"{Path}/{Id(final)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(final, got);
        using var doc = JsonDocument.Parse(got);
        Assert.Equal(expectedStatus, doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("output").GetArrayLength());
    }

    [Fact]
    public async Task Get_StoreFalse_NotStored404()
    {
        using var client = new SimTestClient();
        var (_, created) = await SendAsync(client, HttpMethod.Post, Path, Body(extra: ",\"store\":false"));
        var streamed = FinalResponse(await StreamAsync(client, Path, Body(extra: ",\"store\":false,\"stream\":true")), "response.completed");

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, $"{Path}/{Id(created)}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, $"{Path}/{Id(streamed)}")).Status);
    }

    [Fact]
    public async Task Delete_Stored_200DeletedThenGone()
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);

        var (status, body) = await SendAsync(client, HttpMethod.Delete, $"{Path}/{id}");
        var again = await SendAsync(client, HttpMethod.Delete, $"{Path}/{id}");
        var get = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}");
        var items = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"id":"{{id}}","object":"response","deleted":true}""", body);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal(HttpStatusCode.NotFound, items.Status);
        Assert.Equal(2, client.Simulator.RequestCountFor("openai", "response_delete"));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("DELETE", "")]
    [InlineData("GET", "/input_items")]
    [InlineData("POST", "/cancel")]
    public async Task StoredRoutes_UnknownId_404InOpenAiErrorShape(string method, string suffix)
    {
        using var client = new SimTestClient();

        var (status, body) = await SendAsync(client, new HttpMethod(method), $"{Path}/resp_never_made{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("""{"error":{"message":"Response with id 'resp_never_made' not found.","type":"invalid_request_error","param":null,"code":null}}""", body);
    }

    [Fact]
    public async Task Cancel_Stored_400OnlyBackgroundResponsesAndStillStored()
    {
        using var client = new SimTestClient();
        var (_, created) = await SendAsync(client, HttpMethod.Post, Path, Body());

        var (status, body) = await SendAsync(client, HttpMethod.Post, $"{Path}/{Id(created)}/cancel");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"error":{"message":"Cannot cancel a synchronous response.","type":"invalid_request_error","param":null,"code":null}}""", body);
        Assert.Equal(created, (await SendAsync(client, HttpMethod.Get, $"{Path}/{Id(created)}")).Body);
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "response_cancel"));
    }

    [Fact]
    public async Task InputItems_StringInput_OneUserMessageWithInputText()
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);

        var (status, text) = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items");

        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(text);
        var list = doc.RootElement;
        AssertItemList(list);
        var item = Assert.Single(list.GetProperty("data").EnumerateArray());
        var itemId = item.GetProperty("id").GetString()!;
        Assert.StartsWith("msg_", itemId, StringComparison.Ordinal);
        Assert.Equal(
            $$"""{"id":"{{itemId}}","type":"message","role":"user","status":"completed","content":[{"type":"input_text","text":"Tell me about rivers."}]}""",
            item.GetRawText());
        Assert.Equal(itemId, list.GetProperty("first_id").GetString());
        Assert.Equal(itemId, list.GetProperty("last_id").GetString());
        Assert.False(list.GetProperty("has_more").GetBoolean());
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "response_input_items"));

        // Instructions are not an input item; the ids are stable.
        Assert.Equal(text, (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items")).Body);
    }

    [Fact]
    public async Task InputItems_Items_EveryKindInTheSpecShapeNewestFirst()
    {
        using var client = new SimTestClient();
        const string input = """
            [{"role":"developer","content":"Use tools."},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather?"}]},
             {"type":"function_call","id":"fc_given","call_id":"call_1","name":"weather","arguments":"{\"city\":\"Oslo\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"Rain."},
             {"role":"assistant","content":"It rains."},
             {"role":"user","content":"Thanks."}]
            """;
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body(input: input))).Body);

        var (status, text) = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items");

        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(text);
        var list = doc.RootElement;
        AssertItemList(list);
        var data = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(6, data.Count);
        Assert.Equal(["message", "message", "function_call_output", "function_call", "message", "message"], data.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(["user", "assistant"], data.Take(2).Select(i => i.GetProperty("role").GetString()));
        Assert.Equal("Thanks.", data[0].GetProperty("content")[0].GetProperty("text").GetString());
        var assistantPart = data[1].GetProperty("content")[0];
        Assert.Equal("output_text", assistantPart.GetProperty("type").GetString());
        Assert.Equal("It rains.", assistantPart.GetProperty("text").GetString());
        Assert.Equal("Rain.", data[2].GetProperty("output").GetString());
        Assert.Equal("call_1", data[2].GetProperty("call_id").GetString());
        Assert.Equal("fc_given", data[3].GetProperty("id").GetString());
        Assert.Equal("{\"city\":\"Oslo\"}", data[3].GetProperty("arguments").GetString());
        Assert.Equal("weather", data[3].GetProperty("name").GetString());
        Assert.Equal("input_text", data[4].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("developer", data[5].GetProperty("role").GetString());
        Assert.Equal(6, data.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(data[0].GetProperty("id").GetString(), list.GetProperty("first_id").GetString());
        Assert.Equal(data[5].GetProperty("id").GetString(), list.GetProperty("last_id").GetString());
    }

    [Fact]
    public async Task InputItems_OrderLimitAfter_PagesThroughTheItems()
    {
        using var client = new SimTestClient();
        var input = "[" + string.Join(',', Enumerable.Range(1, 5).Select(i => $$"""{"role":"user","content":"m{{i}}"}""")) + "]";
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body(input: input))).Body);

        var asc = await ItemsAsync(client, $"{Path}/{id}/input_items?order=asc&limit=2");
        var next = await ItemsAsync(client, $"{Path}/{id}/input_items?order=asc&limit=2&after={asc.LastId}");
        var last = await ItemsAsync(client, $"{Path}/{id}/input_items?order=asc&limit=2&after={next.LastId}");
        var desc = await ItemsAsync(client, $"{Path}/{id}/input_items?limit=3");
        var all = await ItemsAsync(client, $"{Path}/{id}/input_items?order=desc&limit=100");

        Assert.Equal(["m1", "m2"], asc.Texts);
        Assert.True(asc.HasMore);
        Assert.Equal(["m3", "m4"], next.Texts);
        Assert.True(next.HasMore);
        Assert.Equal(["m5"], last.Texts);
        Assert.False(last.HasMore);
        Assert.Equal(["m5", "m4", "m3"], desc.Texts);
        Assert.True(desc.HasMore);
        Assert.Equal(["m5", "m4", "m3", "m2", "m1"], all.Texts);
        Assert.False(all.HasMore);
    }

    [Theory]
    [InlineData("limit=0", "limit", "integer_below_min_value")]
    [InlineData("limit=101", "limit", "integer_above_max_value")]
    [InlineData("limit=x", "limit", "invalid_type")]
    [InlineData("order=up", "order", "invalid_value")]
    public async Task InputItems_InvalidQuery_400NamingIt(string query, string param, string code)
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);

        var (status, text) = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(code, doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PreviousResponseId_Stored_AcceptedEchoedAndTextUnchanged()
    {
        using var client = new SimTestClient();
        var first = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);
        var alone = (await SendAsync(client, HttpMethod.Post, Path, Body(input: "\"Go on.\""))).Body;

        var (status, text) = await SendAsync(client, HttpMethod.Post, Path, Body(input: "\"Go on.\"", extra: $",\"previous_response_id\":\"{first}\""));
        var streamed = FinalResponse(
            await StreamAsync(client, Path, Body(input: "\"Go on.\"", extra: $",\"previous_response_id\":\"{first}\",\"stream\":true")), "response.completed");

        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(first, doc.RootElement.GetProperty("previous_response_id").GetString());
        Assert.Equal(OutputText(alone), OutputText(text));
        Assert.Equal(OutputText(alone), OutputText(streamed));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PreviousResponseId_UnknownDeletedOrNotStored_400PreviousResponseNotFound(bool stream)
    {
        using var client = new SimTestClient();
        var deleted = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);
        await SendAsync(client, HttpMethod.Delete, $"{Path}/{deleted}");
        var unstored = Id((await SendAsync(client, HttpMethod.Post, Path, Body(extra: ",\"store\":false"))).Body);

        foreach (var previous in new[] { "resp_never_made", deleted, unstored })
        {
            var (status, text) = await SendAsync(
                client, HttpMethod.Post, Path, Body(extra: $",\"previous_response_id\":\"{previous}\"" + (stream ? ",\"stream\":true" : string.Empty)));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(
                $$$"""{"error":{"message":"Previous response with id '{{{previous}}}' not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}}""",
                text);
        }
    }

    [Fact]
    public async Task AzureV1_StoredRoutes_KeyRequiredSameStoreCountedAsAzureV1()
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, "/openai/v1/responses", Body(model: "my-deployment"), Key)).Body);
        const string root = "/openai/v1/responses/";

        var noKey = await SendAsync(client, HttpMethod.Get, root + id);
        var get = await SendAsync(client, HttpMethod.Get, root + id, Bearer);
        var viaOpenAi = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}");
        var items = await SendAsync(client, HttpMethod.Get, root + id + "/input_items?order=asc", Key);
        var cancel = await SendAsync(client, HttpMethod.Post, root + id + "/cancel", Key);
        var delete = await SendAsync(client, HttpMethod.Delete, root + id, Key);
        var gone = await SendAsync(client, HttpMethod.Get, root + id, Key);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(get.Body, viaOpenAi.Body);
        Assert.Equal(HttpStatusCode.OK, items.Status);
        Assert.Equal(HttpStatusCode.BadRequest, cancel.Status);
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        var sim = client.Simulator;
        Assert.Equal(3, sim.RequestCountFor("azure_v1", "response_get"));
        Assert.Equal(1, sim.RequestCountFor("openai", "response_get"));
        Assert.Equal(1, sim.RequestCountFor("azure_v1", "response_input_items"));
        Assert.Equal(1, sim.RequestCountFor("azure_v1", "response_cancel"));
        Assert.Equal(1, sim.RequestCountFor("azure_v1", "response_delete"));
    }

    [Fact]
    public async Task AzureClassic_StoredRoutes_NotRoutes()
    {
        using var client = new SimTestClient();

        var (status, _) = await SendAsync(client, HttpMethod.Get, "/openai/deployments/d/responses/resp_1?api-version=2024-10-21", Key);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, client.Simulator.RequestCount);
    }

    [Theory]
    [InlineData(nameof(SimulatorOptions.ErrorRate), HttpStatusCode.InternalServerError)]
    [InlineData(nameof(SimulatorOptions.RateLimitRate), HttpStatusCode.TooManyRequests)]
    [InlineData(nameof(SimulatorOptions.OverloadedRate), HttpStatusCode.ServiceUnavailable)]
    public async Task StoredRoutes_Fault_AppliesLikeTheOtherApiRoutes(string rate, HttpStatusCode expected)
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);
        client.Simulator.Configure(o => typeof(SimulatorOptions).GetProperty(rate)!.SetValue(o, 1.0));

        Assert.Equal(expected, (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}")).Status);
        Assert.Equal(expected, (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}/input_items")).Status);
        Assert.Equal(expected, (await SendAsync(client, HttpMethod.Post, $"{Path}/{id}/cancel")).Status);
        Assert.Equal(expected, (await SendAsync(client, HttpMethod.Delete, $"{Path}/{id}")).Status);

        // A refused delete deleted nothing.
        client.Simulator.Configure(o => typeof(SimulatorOptions).GetProperty(rate)!.SetValue(o, 0.0));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}")).Status);
    }

    [Fact]
    public async Task StoredRoutes_SuspendedAccountAndDrop_AppliesLikeTheOtherApiRoutes()
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);

        client.Simulator.Configure(o => o.SuspendedAccount = true);
        var suspended = await SendAsync(client, HttpMethod.Get, $"{Path}/{id}");
        client.Simulator.Configure(o => (o.SuspendedAccount, o.DropRate) = (false, 1));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Path}/{id}");
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.Http.SendAsync(request, SimTestClient.Ct));

        Assert.Equal(HttpStatusCode.Forbidden, suspended.Status);
        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Theory]
    [InlineData(nameof(SimulatorOptions.DropRate), false)]
    [InlineData(nameof(SimulatorOptions.DropRate), true)]
    [InlineData(nameof(SimulatorOptions.StreamErrorRate), true)]
    [InlineData(nameof(SimulatorOptions.ErrorRate), false)]
    public async Task Create_DroppedOrFailed_StoresNothing(string rate, bool stream)
    {
        using var client = new SimTestClient();
        client.Simulator.Configure(o => typeof(SimulatorOptions).GetProperty(rate)!.SetValue(o, 1.0));
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(Body(extra: stream ? ",\"stream\":true" : string.Empty), Encoding.UTF8, "application/json"),
        };

        try
        {
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
            var text = await response.Content.ReadAsStringAsync(SimTestClient.Ct);
            var last = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
            Assert.StartsWith(rate == nameof(SimulatorOptions.StreamErrorRate) ? "event: error\n" : "{\"error\":", last, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            Assert.Equal(nameof(SimulatorOptions.DropRate), rate);
        }

        Assert.Equal(0, client.Simulator.StoredResponseCount);
        client.Simulator.Configure(o => typeof(SimulatorOptions).GetProperty(rate)!.SetValue(o, 0.0));
        await SendAsync(client, HttpMethod.Post, Path, Body(extra: stream ? ",\"stream\":true" : string.Empty));
        Assert.Equal(1, client.Simulator.StoredResponseCount);
    }

    [Fact]
    public async Task Reset_ForgetsStoredResponses()
    {
        using var client = new SimTestClient();
        var id = Id((await SendAsync(client, HttpMethod.Post, Path, Body())).Body);

        client.Simulator.Reset();

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, Path, Body(extra: $",\"previous_response_id\":\"{id}\""))).Status);
    }

    [Fact]
    public void Store_OverCountOrBytes_DropsTheOldestFirst()
    {
        var store = new ResponsesStore(maxCount: 3, maxBytes: 1000);
        for (var i = 0; i < 5; i++)
        {
            store.Add(new StoredResponse($"resp_{i}", new byte[10], new byte[10]));
        }

        Assert.Equal(3, store.Count);
        Assert.Null(store.Get("resp_1"));
        Assert.NotNull(store.Get("resp_2"));
        Assert.True(store.Remove("resp_3"));
        Assert.False(store.Remove("resp_3"));

        store.Add(new StoredResponse("resp_big", new byte[900], new byte[80]));
        Assert.Null(store.Get("resp_2"));
        Assert.NotNull(store.Get("resp_4"));
        Assert.NotNull(store.Get("resp_big"));
        store.Add(new StoredResponse("resp_bigger", new byte[2000], []));
        Assert.Equal(1, store.Count);
        Assert.NotNull(store.Get("resp_bigger"));
    }

    [Fact]
    public async Task Store_ConcurrentCreates_EveryOneRetrievable()
    {
        using var client = new SimTestClient();

        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
            Id((await SendAsync(client, HttpMethod.Post, Path, Body(input: $"\"Question {i}.\""))).Body)));
        var statuses = await Task.WhenAll(ids.Select(async id => (await SendAsync(client, HttpMethod.Get, $"{Path}/{id}")).Status));

        Assert.Equal(64, ids.Distinct().Count());
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Host_StoredRoutes_ServedAndLogged()
    {
        await using var host = await SimHost.StartAsync();
        using var create = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(Body(), Encoding.UTF8, "application/json") };
        using var created = await host.Http.SendAsync(create, SimTestClient.Ct);
        var createdText = await created.Content.ReadAsStringAsync(SimTestClient.Ct);
        var id = Id(createdText);

        var get = await host.Http.GetStringAsync($"{Path}/{id}", SimTestClient.Ct);
        using var items = await host.Http.GetAsync($"{Path}/{id}/input_items?limit=1&order=asc", SimTestClient.Ct);
        using var cancel = await host.Http.PostAsync($"{Path}/{id}/cancel", null, SimTestClient.Ct);
        using var azureNoKey = await host.Http.GetAsync($"/openai/v1/responses/{id}", SimTestClient.Ct);
        using var delete = await host.Http.DeleteAsync($"{Path}/{id}", SimTestClient.Ct);
        using var gone = await host.Http.GetAsync($"{Path}/{id}", SimTestClient.Ct);
        using var log = JsonDocument.Parse(await host.Http.GetStringAsync("/_sim/requests", SimTestClient.Ct));

        Assert.Equal(createdText, get);
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        using (var list = JsonDocument.Parse(await items.Content.ReadAsStringAsync(SimTestClient.Ct)))
        {
            AssertItemList(list.RootElement);
        }

        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, azureNoKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.StartsWith("req_", gone.Headers.GetValues("x-request-id").First(), StringComparison.Ordinal);
        var routes = log.RootElement.GetProperty("routes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("flavor").GetString() + " " + r.GetProperty("endpoint").GetString(), r => r.GetProperty("count").GetInt64());
        Assert.Equal(2, routes["openai response_get"]);
        Assert.Equal(1, routes["openai response_input_items"]);
        Assert.Equal(1, routes["openai response_cancel"]);
        Assert.Equal(1, routes["openai response_delete"]);
        Assert.Equal(1, routes["azure_v1 response_get"]);
        Assert.Equal(7, log.RootElement.GetProperty("count").GetInt64());
    }

    private static void Key(HttpRequestMessage r) => r.Headers.Add("api-key", "k");

    private static void Bearer(HttpRequestMessage r) => r.Headers.Add("Authorization", "Bearer t");

    private static string Body(string input = "\"Tell me about rivers.\"", string model = "gpt-4o", string extra = "") =>
        "{\"model\":\"" + model + "\",\"instructions\":\"Be brief.\",\"input\":" + input + extra + "}";

    private static string Id(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static string OutputText(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        SimTestClient client, HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        using var response = await client.Http.SendAsync(request, SimTestClient.Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(SimTestClient.Ct));
    }

    private static Task<(HttpStatusCode Status, string Body)> SendAsync(
        SimTestClient client, HttpMethod method, string path, Action<HttpRequestMessage> configure) => SendAsync(client, method, path, null, configure);

    private static async Task<string> StreamAsync(SimTestClient client, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(SimTestClient.Ct);
    }

    /// <summary>The raw JSON of the <c>response</c> member of the final event (<paramref name="type"/>).</summary>
    private static string FinalResponse(string sse, string type)
    {
        var block = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Last();
        var lines = block.Split('\n');
        Assert.Equal("event: " + type, lines[0]);
        using var doc = JsonDocument.Parse(lines[1]["data: ".Length..]);
        return doc.RootElement.GetProperty("response").GetRawText();
    }

    private static async Task<(List<string> Texts, string? LastId, bool HasMore)> ItemsAsync(SimTestClient client, string path)
    {
        var (status, text) = await SendAsync(client, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(text);
        var list = doc.RootElement;
        AssertItemList(list);
        return (
            list.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()!).ToList(),
            list.GetProperty("last_id").GetString(),
            list.GetProperty("has_more").GetBoolean());
    }

    /// <summary>Spec <c>ResponseItemList</c> and, per item, the members its <c>ItemResource</c> variant requires.</summary>
    private static void AssertItemList(JsonElement list)
    {
        AssertRequired(list.GetRawText(), s_itemListRequired);
        Assert.Equal("list", list.GetProperty("object").GetString());
        foreach (var item in list.GetProperty("data").EnumerateArray())
        {
            var type = item.GetProperty("type").GetString();
            string[] required = type switch
            {
                "function_call" => ["id", "type", "status", "call_id", "name", "arguments"],
                "function_call_output" => ["id", "type", "status", "output"],
                _ when item.GetProperty("role").GetString() == "assistant" => ["id", "type", "role", "content", "status"],
                _ => ["id", "type", "role", "content"],
            };
            AssertRequired(item.GetRawText(), required);
            Assert.Equal("completed", item.GetProperty("status").GetString());
            if (type != "message")
            {
                continue;
            }

            foreach (var part in item.GetProperty("content").EnumerateArray())
            {
                AssertRequired(part.GetRawText(), part.GetProperty("type").GetString() == "output_text" ? ["type", "text", "annotations", "logprobs"] : ["type", "text"]);
            }
        }
    }

    private static void AssertRequired(string json, string[] members)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var member in members)
        {
            Assert.True(doc.RootElement.TryGetProperty(member, out _), $"'{member}' missing from {json}");
        }
    }
}
