// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Cli.Commands;

namespace Charter.Tests.Sim;

public sealed class SimCommandsTests
{
    [Fact]
    public void ParseAccuracy_ValidList_FillsMap()
    {
        var map = new Dictionary<string, double>();
        var errors = new List<string>();

        SimCommands.ParseAccuracy("gpt-4o=0.85, gpt-4o-mini=0.7", map, errors);

        Assert.Empty(errors);
        Assert.Equal(0.85, map["gpt-4o"]);
        Assert.Equal(0.7, map["gpt-4o-mini"]);
    }

    [Fact]
    public void ParseAccuracy_BadParts_EveryErrorListed()
    {
        var map = new Dictionary<string, double>();
        var errors = new List<string>();

        SimCommands.ParseAccuracy("gpt-4o,=0.5,x=abc", map, errors);

        Assert.Equal(3, errors.Count);
        Assert.Empty(map);
    }

    [Fact]
    public async Task Sim_InvalidRate_ExitCode2()
    {
        var exit = await SimCommands.Create().Parse(["--error-rate", "1.5"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
    }
}
