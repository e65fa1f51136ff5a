// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Providers.Anthropic;

/// <summary>Where the translated members of an OpenAI chat completions body sit (members that are <c>null</c> count as absent).</summary>
internal struct OpenAiRequestFields
{
    public JsonSlice Messages;
    public JsonSlice MaxCompletionTokens;
    public JsonSlice MaxTokens;
    public JsonSlice Stop;
    public JsonSlice Temperature;
    public JsonSlice TopP;
    public JsonSlice User;
    public JsonSlice SafetyIdentifier;
    public JsonSlice Stream;
    public JsonSlice Tools;
    public JsonSlice ToolChoice;
    public JsonSlice ParallelToolCalls;
    public JsonSlice N;
    public JsonSlice Logprobs;
    public JsonSlice TopLogprobs;
    public JsonSlice ResponseFormat;
}
