// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;

namespace Charter.Cli;

/// <summary>Builds the `charter` command tree.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Charter: a policy-bound gateway for LLM APIs.");
        root.Subcommands.Add(Commands.EvalCommands.Create());
        return root.Parse(args).InvokeAsync();
    }
}
