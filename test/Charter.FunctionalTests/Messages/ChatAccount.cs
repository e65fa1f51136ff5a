// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.FunctionalTests.Azure;
using Charter.Hosting;

namespace Charter.FunctionalTests.Messages;

/// <summary>Gateway settings with one chat completions account (<c>openai</c> or <c>openai-compatible</c>) in front of the
/// simulator through a recording proxy, serving <see cref="Model"/>: what a /v1/messages request is translated for.</summary>
internal static class ChatAccount
{
    public const string Model = "gpt-4o-mini";

    /// <summary>The account's settings; with <paramref name="proxy"/>, the account calls the simulator through it.</summary>
    public static Action<CharterHostSettings> Settings(RecordingProxy? proxy, string kind) => s =>
    {
        var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
        if (proxy is not null)
        {
            proxy.Target = new Uri(simRoot + "/");
        }

        s.Overrides["Providers:Accounts:0:Id"] = "chat";
        s.Overrides["Providers:Accounts:0:Kind"] = kind;
        s.Overrides["Providers:Accounts:0:BaseUrl"] = (proxy?.BaseUrl ?? simRoot) + "/v1";
        s.Overrides["Providers:Accounts:0:ApiKey"] = "sk-chat-account-0123456789";
        s.Overrides["Providers:Models:0:Name"] = Model;
        s.Overrides["Providers:Models:0:Targets:0:Account"] = "chat";
    };
}
