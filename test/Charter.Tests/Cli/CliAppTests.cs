// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Cli;

namespace Charter.Tests.Cli;

/// <summary>The command tree of <c>./charter</c>: every command answers <c>--help</c>, under the script's name.</summary>
public sealed class CliAppTests
{
    public static TheoryData<string> CommandPaths()
    {
        var paths = new TheoryData<string>();
        Walk(CliApp.Create(), string.Empty);
        return paths;

        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_EveryCommand_PrintsUsageUnderTheScriptsName(string path)
    {
        string[] args = [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.Create().Parse(args).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Empty(error.ToString());
        var text = output.ToString();
        Assert.Contains("Description:", text, StringComparison.Ordinal);
        Assert.Contains("Usage:" + Environment.NewLine + "  " + ("charter " + path).TrimEnd(), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Charter.Cli", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_UnknownCommand_FailsWithTheReason()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.Create().Parse(["bogus"]).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, exit);
        Assert.Contains("Unrecognized command or argument 'bogus'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_Root_PrintsTheAssemblyVersion()
    {
        using var output = new StringWriter();

        var exit = await CliApp.Create().Parse(["--version"]).InvokeAsync(
            new InvocationConfiguration { Output = output }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.ToString());
    }
}
