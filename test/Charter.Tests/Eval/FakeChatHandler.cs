// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;

namespace Charter.Tests.Eval;

/// <summary>In-memory OpenAI chat endpoint: answers through a delegate, counts requests, injects faults.</summary>
internal sealed class FakeChatHandler(Func<string, string, string> reply) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Called with the 1-based request number; a non-null response is returned instead of the answer.</summary>
    public Func<int, HttpResponseMessage?>? Fault { get; init; }

    public List<HttpRequestMessage> Seen { get; } = [];

    public string? PolicyVersion { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _requests);
        lock (Seen)
        {
            Seen.Add(request);
        }

        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        if (Fault?.Invoke(n) is { } fault)
        {
            return fault;
        }

        using var doc = JsonDocument.Parse(body);
        var model = doc.RootElement.GetProperty("model").GetString()!;
        var messages = doc.RootElement.GetProperty("messages");
        var last = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString()!;
        var text = reply(model, last);
        var json = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion",
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 20, completion_tokens = 5, total_tokens = 25 },
        });
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (PolicyVersion is not null)
        {
            response.Headers.TryAddWithoutValidation("charter-policy-version", PolicyVersion);
        }

        return response;
    }

    public static HttpResponseMessage RateLimited(string retryAfterMs = "1")
    {
        var r = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\"}}", Encoding.UTF8, "application/json"),
        };
        r.Headers.TryAddWithoutValidation("retry-after-ms", retryAfterMs);
        return r;
    }
}
