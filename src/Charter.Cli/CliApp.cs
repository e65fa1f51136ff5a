// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Cli.Commands;

namespace Charter.Cli;

/// <summary>Builds the `charter` command tree.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Charter: a policy-bound gateway for LLM APIs.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TeamsCommands.Create());
        root.Subcommands.Add(KeysCommands.Create());
        root.Subcommands.Add(LifecycleCommands.CreateAccounts());
        root.Subcommands.Add(LogsCommands.Create());
        root.Subcommands.Add(Commands.SimCommands.Create());
        root.Subcommands.Add(Commands.PolicyCommands.Create());
        root.Subcommands.Add(Commands.AuditCommands.Create());
        root.Subcommands.Add(Commands.DetectCommands.Create());
        root.Subcommands.Add(EvalCommands.Create());
        root.Subcommands.Add(UsageCommands.Create());
        return root.Parse(args).InvokeAsync();
    }
}
