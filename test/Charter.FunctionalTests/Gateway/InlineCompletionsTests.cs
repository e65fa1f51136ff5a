// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Sim;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Gateway;

/// <summary>
/// The optional latency mode of docs/performance.md: <c>charter serve</c> in a process started with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, where requests run on the socket event threads. The control plane
/// (SQLite calls) hops to the thread pool; chat, streams and admin calls must all go on working side by side.
/// </summary>
public sealed class InlineCompletionsTests
{
    [Fact]
    public async Task Serve_WithInlineSocketCompletions_ServesChatStreamsAndAdminSideBySide()
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-inline-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var sim = SimulatorHost.Build(new SimulatorOptions { TimeToFirstTokenMs = 5, TokensPerSecond = 400 }, "http://127.0.0.1:0");
        await sim.StartAsync();
        var url = $"http://127.0.0.1:{GatewayProcess.FreePort()}";
        var environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" };
        try
        {
            using var gateway = GatewayProcess.Start(dir, url, TestGateway.Address(sim), environment);
            await GatewayProcess.WaitHealthyAsync(url);
            var key = await GatewayProcess.CreateKeyAsync(url, "inline");
            var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(key), Sdk.Options(new Uri(url + "/")));
            var options = new ChatCompletionOptions { MaxOutputTokenCount = 24 };
            ChatMessage[] prompt = [new UserChatMessage("Describe a lighthouse.")];

            // Sixteen plain calls, four streams and five key creations, all at once.
            var plain = Enumerable.Range(0, 16).Select(async _ => (await client.CompleteChatAsync(prompt, options)).Value.Content[0].Text).ToArray();
            var streams = Enumerable.Range(0, 4).Select(async _ =>
            {
                var text = new StringBuilder();
                await foreach (var update in client.CompleteChatStreamingAsync(prompt, options))
                {
                    foreach (var part in update.ContentUpdate)
                    {
                        text.Append(part.Text);
                    }
                }

                return text.ToString();
            }).ToArray();
            var admin = Enumerable.Range(0, 5).Select(i => GatewayProcess.CreateKeyAsync(url, "inline-" + i)).ToArray();
            var texts = await Task.WhenAll(plain);
            var streamed = await Task.WhenAll(streams);
            var secrets = await Task.WhenAll(admin);

            Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));
            Assert.Single(texts.Distinct()); // the simulated provider is deterministic
            Assert.All(streamed, s => Assert.Equal(texts[0], s));
            Assert.Equal(5, secrets.Distinct().Count());
            Assert.All(secrets, s => Assert.StartsWith("ck-", s, StringComparison.Ordinal));

            using var http = new HttpClient();
            using var list = new HttpRequestMessage(HttpMethod.Get, url + "/admin/v1/keys");
            list.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
            using var listed = await http.SendAsync(list);
            listed.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
            var keys = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("data");
            Assert.Equal(6, keys.GetArrayLength());

            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
        finally
        {
            await sim.StopAsync();
            await sim.DisposeAsync();
            GatewayProcess.DeleteDirectory(dir);
        }
    }
}
