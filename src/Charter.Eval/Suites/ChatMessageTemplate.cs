// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>One chat message of a prompt template; the content may contain <c>{{variable}}</c> placeholders.</summary>
public sealed record ChatMessageTemplate(string Role, PromptTemplate Content);
