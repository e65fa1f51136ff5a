// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Sim;
using CsCheck;

namespace Charter.Tests.Sim;

public sealed class SimulatorPropertyTests
{
    private static readonly SimRequest s_chat = new(SimEndpoint.ChatCompletions, SimFlavor.OpenAI, null, null, false, null);
    private static readonly SimRequest s_embeddings = new(SimEndpoint.Embeddings, SimFlavor.OpenAI, null, null, false, null);

    [Fact]
    public void Handle_ArbitraryBytes_Answers200Or400NeverThrows()
    {
        var sim = new Simulator(new SimulatorOptions());
        Gen.OneOf(Gen.String, Gen.Const("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]").Select(s => s + "}"), Gen.String.Select(s => "{\"model\":" + s))
            .Sample(text =>
            {
                var body = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
                using var chat = sim.Handle(s_chat, body);
                using var embeddings = sim.Handle(s_embeddings, body);
                Assert.Contains(chat.StatusCode, new[] { 200, 400 });
                Assert.Contains(embeddings.StatusCode, new[] { 200, 400 });
                using var doc = JsonDocument.Parse(chat.Body!.WrittenMemory);
            }, iter: 300);
    }

    [Fact]
    public void Chat_RandomMaxTokensAndN_UsageMatchesChoicesAndFinishReason()
    {
        var sim = new Simulator(new SimulatorOptions());
        Gen.Select(Gen.Int[1, 80], Gen.Int[1, 5], Gen.String[Gen.Char.AlphaNumeric, 1, 40])
            .Sample((maxTokens, n, prompt) =>
            {
                var json = $$"""{"model":"gpt-4o","n":{{n}},"max_tokens":{{maxTokens}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";
                using var response = sim.Handle(s_chat, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));
                using var doc = JsonDocument.Parse(response.Body!.WrittenMemory);
                var root = doc.RootElement;
                var total = 0;
                foreach (var choice in root.GetProperty("choices").EnumerateArray())
                {
                    var words = choice.GetProperty("message").GetProperty("content").GetString()!.Split(' ').Length;
                    Assert.True(words <= maxTokens);
                    var finish = choice.GetProperty("finish_reason").GetString();
                    Assert.Equal(words == maxTokens && maxTokens < 16 ? "length" : finish, finish);
                    Assert.True(finish == "stop" || words == maxTokens);
                    total += words;
                }

                Assert.Equal(n, root.GetProperty("choices").GetArrayLength());
                Assert.Equal(total, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            }, iter: 200);
    }
}
