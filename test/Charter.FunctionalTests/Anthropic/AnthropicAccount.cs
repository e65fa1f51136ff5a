// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.FunctionalTests.Azure;
using Charter.Hosting;

namespace Charter.FunctionalTests.Anthropic;

/// <summary>Gateway settings with one <c>anthropic</c> account in front of the simulator's Messages API, serving
/// <see cref="Model"/> as <see cref="UpstreamModel"/>.</summary>
internal static class AnthropicAccount
{
    public const string Key = "anthropic-account-key-0123456789";
    public const string Model = "claude-sonnet-4";
    public const string UpstreamModel = "claude-sonnet-4-20250514";

    /// <summary>The account's settings; with <paramref name="proxy"/>, the account calls the simulator through it.</summary>
    public static Action<CharterHostSettings> Settings(RecordingProxy? proxy, int? retries = null) => s =>
    {
        // s.Upstream is the simulator's base (…/v1); its Messages API is …/v1/messages, as Anthropic's.
        var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
        if (proxy is not null)
        {
            proxy.Target = new Uri(simRoot + "/");
        }

        s.Overrides["Providers:Accounts:0:Id"] = "anthropic";
        s.Overrides["Providers:Accounts:0:Kind"] = "anthropic";
        s.Overrides["Providers:Accounts:0:BaseUrl"] = (proxy?.BaseUrl ?? simRoot) + "/v1";
        s.Overrides["Providers:Accounts:0:ApiKey"] = Key;
        s.Overrides["Providers:Models:0:Name"] = Model;
        s.Overrides["Providers:Models:0:Targets:0:Account"] = "anthropic";
        s.Overrides["Providers:Models:0:Targets:0:Model"] = UpstreamModel;
        if (retries is { } r)
        {
            s.Overrides["Gateway:Retries"] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    };
}
