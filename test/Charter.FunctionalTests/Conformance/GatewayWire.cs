// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Text;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Conformance;

/// <summary>Raw HTTP calls to a test gateway, so the exact bytes on the wire can be validated (the SDK would hide them).</summary>
internal static class GatewayWire
{
    public static async Task<(int Status, string Body, HttpResponseHeaders Headers)> PostAsync(TestGateway gw, string path, string? key, string body, string? purpose = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            req.Headers.Authorization = new("Bearer", key);
        }

        if (purpose is not null)
        {
            req.Headers.Add("Charter-Purpose", purpose);
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), resp.Headers);
    }

    public static async Task<(int Status, string Body)> GetAsync(TestGateway gw, string path, string key)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Splits an SSE body into its <c>data:</c> payloads (in order, <c>[DONE]</c> included); fails on any other field.</summary>
    public static IReadOnlyList<string> DataEvents(string sse)
    {
        var events = new List<string>();
        foreach (var block in sse.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith(':'))
                {
                    continue; // SSE comment
                }

                Assert.StartsWith("data: ", line, StringComparison.Ordinal);
                events.Add(line["data: ".Length..]);
            }
        }

        return events;
    }

    public static string ChatBody(string model = "gpt-4o-mini", string extra = "", int maxTokens = 8) =>
        $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Say hello.\"}}],\"max_tokens\":{maxTokens}{extra}}}";
}
