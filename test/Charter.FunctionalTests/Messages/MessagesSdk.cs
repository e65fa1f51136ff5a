// Copyright (c) Charter contributors. Licensed under the MIT License.

using Anthropic;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Messages;

/// <summary>The official Anthropic .NET SDK pointed at a test gateway with a Charter key, as a team would configure it.</summary>
internal static class MessagesSdk
{
    public static AnthropicClient Client(TestGateway gateway, string key) => new()
    {
        ApiKey = key,
        BaseUrl = gateway.BaseUri.ToString().TrimEnd('/'),
        MaxRetries = 0,
    };
}
