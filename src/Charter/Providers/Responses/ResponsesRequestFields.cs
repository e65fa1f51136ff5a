// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Providers.Anthropic;

namespace Charter.Providers.Responses;

/// <summary>Where the top-level members of a Responses request sit in its body (absent or null members are empty).</summary>
internal struct ResponsesRequestFields
{
    public JsonSlice Model;
    public JsonSlice Instructions;
    public JsonSlice Input;
    public JsonSlice MaxOutputTokens;
    public JsonSlice MaxToolCalls;
    public JsonSlice Temperature;
    public JsonSlice TopP;
    public JsonSlice TopLogprobs;
    public JsonSlice Stream;
    public JsonSlice User;
    public JsonSlice SafetyIdentifier;
    public JsonSlice PromptCacheKey;
    public JsonSlice Metadata;
    public JsonSlice ParallelToolCalls;
    public JsonSlice Tools;
    public JsonSlice ToolChoice;
    public JsonSlice Text;
    public JsonSlice Include;
    public JsonSlice Store;
    public JsonSlice Truncation;
    public JsonSlice PreviousResponseId;
    public JsonSlice Conversation;
    public JsonSlice Background;
    public JsonSlice Prompt;
    public JsonSlice Reasoning;
}
