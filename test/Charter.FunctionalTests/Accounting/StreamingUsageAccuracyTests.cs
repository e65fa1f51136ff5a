// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Accounting;

/// <summary>Every streamed request's recorded tokens are the upstream's own figures, exactly.</summary>
public sealed class StreamingUsageAccuracyTests
{
    private const int Requests = 1_000;
    private const int Concurrency = 16;

    [Fact]
    public async Task StreamedRequests_Thousand_RecordedTokensEqualUpstreamUsageExactly()
    {
        await using var gw = await TestGateway.StartAsync(
            sim: o => { o.MinCompletionTokens = 4; o.MaxCompletionTokens = 40; },
            inProcessSim: true);
        var (key, _) = await gw.CreateKeyAsync();

        // Even requests ask for include_usage and see the upstream's usage; odd ones do not (Charter asks for it and strips it).
        var seen = new ConcurrentDictionary<string, (int Prompt, int Completion)>();
        var notAsked = new ConcurrentBag<string>();
        var unexpectedUsage = 0;
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var askUsage = i % 2 == 0;
                var (id, usage) = await StreamAsync(gw.Http, key, i, askUsage);
                if (askUsage)
                {
                    Assert.True(usage is not null, $"request {id} asked include_usage but got no usage chunk");
                    seen[id] = usage.Value;
                }
                else
                {
                    if (usage is not null)
                    {
                        Interlocked.Increment(ref unexpectedUsage);
                    }

                    notAsked.Add(id);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        await gw.WaitForRecordsAsync();

        Assert.Equal(0, unexpectedUsage);
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var records = new Dictionary<string, Charter.Records.RequestRecord>();
        await foreach (var r in store.ReadRequestsAsync(null, null))
        {
            records[r.Id] = r;
        }

        Assert.Equal(Requests, records.Count);
        var mismatches = new List<string>();
        long prompt = 0, completion = 0;
        foreach (var (id, usage) in seen)
        {
            var r = records[id];
            prompt += usage.Prompt;
            completion += usage.Completion;
            if (r.PromptTokens != usage.Prompt || r.CompletionTokens != usage.Completion || r.Estimated)
            {
                mismatches.Add($"{id}: recorded {r.PromptTokens}/{r.CompletionTokens} (estimated {r.Estimated}), upstream {usage.Prompt}/{usage.Completion}");
            }
        }

        foreach (var id in notAsked)
        {
            var r = records[id];
            if (r.Estimated || r.CompletionTokens is null or 0 || r.PromptTokens is null or 0)
            {
                mismatches.Add($"{id}: recorded {r.PromptTokens}/{r.CompletionTokens} (estimated {r.Estimated}) without the upstream's usage");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, e.g. {string.Join("; ", mismatches.Take(3))}");
        Assert.Equal(Requests / 2, seen.Count);
        Assert.True(completion > Requests / 2 * 4, "the simulated completions have tokens");

        // The usage report sums the same records.
        using var req = new HttpRequestMessage(HttpMethod.Get, "admin/v1/usage?group_by=key");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        var total = doc.RootElement.GetProperty("total");
        Assert.Equal(Requests, total.GetProperty("requests").GetInt64());
        long recordedPrompt = 0, recordedCompletion = 0;
        foreach (var r in records.Values)
        {
            recordedPrompt += r.PromptTokens ?? 0;
            recordedCompletion += r.CompletionTokens ?? 0;
        }

        Assert.Equal(recordedPrompt, total.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(recordedCompletion, total.GetProperty("completion_tokens").GetInt64());
    }

    private static async Task<(string Id, (int Prompt, int Completion)? Usage)> StreamAsync(HttpClient http, string key, int i, bool askUsage)
    {
        var options = askUsage ? ""","stream_options":{"include_usage":true}""" : string.Empty;
        var body = $$"""{"model":"gpt-4o-mini","stream":true{{options}},"max_tokens":{{4 + (i % 37)}},"messages":[{"role":"user","content":"usage accuracy probe number {{i}}"}]}""";
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(resp.IsSuccessStatusCode, $"request {i}: {(int)resp.StatusCode} {await resp.Content.ReadAsStringAsync()}");
        var id = resp.Headers.GetValues("x-charter-request-id").Single();
        (int, int)? usage = null;
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            if (chunk.RootElement.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                usage = (u.GetProperty("prompt_tokens").GetInt32(), u.GetProperty("completion_tokens").GetInt32());
            }
        }

        return (id, usage);
    }
}
