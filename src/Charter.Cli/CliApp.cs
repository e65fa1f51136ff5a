// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.CommandLine.Help;
using Charter.Cli.Commands;

namespace Charter.Cli;

/// <summary>Builds the `charter` command tree.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args) => Create().Parse(args).InvokeAsync();

    /// <summary>The command tree of <c>./charter</c>.</summary>
    public static Command Create()
    {
        // A plain command named for the script users run: a RootCommand takes its name from the executable, and the
        // gateway runs as `dotnet Charter.Cli.dll`, so every usage line said "Charter.Cli". The options a RootCommand
        // adds are added here; the tab-completion directive it also adds is left out (no dotnet-suggest shim ships).
        var root = new Command("charter", "Charter: a policy-bound gateway for LLM APIs.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TeamsCommands.Create());
        root.Subcommands.Add(KeysCommands.Create());
        root.Subcommands.Add(AdminKeysCommands.Create());
        root.Subcommands.Add(LifecycleCommands.CreateAccounts());
        root.Subcommands.Add(LogsCommands.Create());
        root.Subcommands.Add(Commands.SimCommands.Create());
        root.Subcommands.Add(Commands.PolicyCommands.Create());
        root.Subcommands.Add(Commands.AuditCommands.Create());
        root.Subcommands.Add(Commands.DetectCommands.Create());
        root.Subcommands.Add(EvalCommands.Create());
        root.Subcommands.Add(UsageCommands.Create());
        return root;
    }
}
