// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using Charter.Tests.Common;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using OpenAI.Responses;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>Official OpenAI .NET SDK clients pointed at a test gateway.</summary>
public static class Sdk
{
    public static OpenAIClientOptions Options(TestGateway gateway, string? purpose = null, string? evalRun = null) =>
        Options(gateway.BaseUri, purpose, evalRun);

    /// <summary>Options for a gateway at <paramref name="baseUri"/> (a gateway in its own process): no retries, 30 s timeout.</summary>
    public static OpenAIClientOptions Options(Uri baseUri, string? purpose = null, string? evalRun = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(baseUri, "v1"), RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = TimeSpan.FromSeconds(30) };
        var headers = new Dictionary<string, string>();
        if (purpose is not null)
        {
            headers["Charter-Purpose"] = purpose;
        }

        if (evalRun is not null)
        {
            headers["Charter-Eval-Run"] = evalRun;
        }

        if (headers.Count > 0)
        {
            options.AddPolicy(new HeaderPolicy(headers), PipelinePosition.PerCall);
        }

        return options;
    }

    public static ChatClient Chat(TestGateway gateway, string key, string model = "gpt-4o-mini", string? purpose = null) =>
        new(model, new ApiKeyCredential(key), Options(gateway, purpose));

    public static EmbeddingClient Embeddings(TestGateway gateway, string key, string model = "text-embedding-3-small") =>
        new(model, new ApiKeyCredential(key), Options(gateway));

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental
    public static ResponsesClient Responses(TestGateway gateway, string key, string? purpose = null) =>
        new OpenAIClient(new ApiKeyCredential(key), Options(gateway, purpose)).GetResponsesClient();
#pragma warning restore OPENAI001

    public static OpenAIModelClient Models(TestGateway gateway, string key) => new(new ApiKeyCredential(key), Options(gateway));
}
