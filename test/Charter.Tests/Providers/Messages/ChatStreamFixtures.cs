// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Tests.Providers.Messages;

/// <summary>Chat completions streams as OpenAI sends them with <c>stream_options.include_usage</c> (WIRE.md §1).</summary>
internal static class ChatStreamFixtures
{
    private const string Head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\",\"choices\":";

    /// <summary>A text reply: role chunk, two text deltas (escapes, non-ASCII), a comment, the finish, the usage chunk, [DONE].</summary>
    public const string Text =
        Head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"content\":\"Bonjour \\\"le\\\" monde\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + ": keep-alive\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"content\":\" \\u2014 caf\\u00e9 日本\\n\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + Head + "[],\"usage\":{\"prompt_tokens\":135,\"completion_tokens\":12,\"total_tokens\":147,\"prompt_tokens_details\":{\"cached_tokens\":100,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n"
        + "data: [DONE]\n\n";

    /// <summary>Text, then two tool calls: the first's arguments in pieces, the second's whole in its first chunk.</summary>
    public const string Tools =
        Head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Checking.\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_A\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]},\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_B\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}],\"usage\":null}\n\n"
        + Head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n"
        + Head + "[],\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":25,\"total_tokens\":85}}\n\n"
        + "data: [DONE]\n\n";

    /// <summary>The same answer as <see cref="Tools"/>, not streamed.</summary>
    public const string ToolsAnswer = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,
         "message":{"role":"assistant","content":"Checking.","tool_calls":[
           {"id":"call_A","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}},
           {"id":"call_B","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":60,"completion_tokens":25,"total_tokens":85}}
        """;

    /// <summary>One text delta, then an error chunk, then more (which must not be relayed).</summary>
    public const string Error =
        Head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"error\":{\"message\":\"The server had an error while processing your request. \\\"Sorry\\\"\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"
        + Head + "[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n"
        + "data: [DONE]\n\n";
}
