// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Sim;
using Microsoft.Extensions.Configuration;

namespace Charter.Tests.Sim;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Bind_FromConfiguration_FillsEveryKindOfField()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Simulator:TimeToFirstTokenMs"] = "50",
                ["Simulator:TokensPerSecond"] = "200",
                ["Simulator:RateLimitRate"] = "0.25",
                ["Simulator:SuspendedAccount"] = "true",
                ["Simulator:Accuracy:gpt-4o"] = "0.85",
                ["Simulator:Accuracy:gpt-4o-mini"] = "0.7",
            })
            .Build();
        var options = new SimulatorOptions();

        configuration.GetSection(SimulatorOptions.SectionName).Bind(options);

        Assert.Equal(50, options.TimeToFirstTokenMs);
        Assert.Equal(200, options.TokensPerSecond);
        Assert.Equal(0.25, options.RateLimitRate);
        Assert.True(options.SuspendedAccount);
        Assert.Equal(0.85, options.Accuracy["gpt-4o"]);
        Assert.Equal(0.7, options.Accuracy["gpt-4o-mini"]);
        Assert.Equal(1, options.RetryAfterSeconds);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Defaults_Documented_Values()
    {
        var options = new SimulatorOptions();

        Assert.Equal(0, options.TimeToFirstTokenMs);
        Assert.Equal(0, options.TokensPerSecond);
        Assert.Equal(0.8, options.DefaultAccuracy);
        Assert.Equal(16, options.MinCompletionTokens);
        Assert.Equal(48, options.MaxCompletionTokens);
        Assert.False(options.SuspendedAccount);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Clone_MutatingCopy_LeavesOriginal()
    {
        var options = new SimulatorOptions { Accuracy = { ["m"] = 0.5 } };

        var copy = options.Clone();
        copy.Accuracy["m"] = 0.9;
        copy.ErrorRate = 0.3;

        Assert.Equal(0.5, options.Accuracy["m"]);
        Assert.Equal(0, options.ErrorRate);
    }
}
