// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Cli.Commands;
using Charter.Policy;

namespace Charter.Tests.Policy;

public sealed class PolicyCommandsTests
{
    [Fact]
    public void TryApplyParam_KnownNames_SetRequestFields()
    {
        var r = default(PolicyRequest);

        Assert.True(PolicyCommands.TryApplyParam(ref r, "n=4", out _));
        Assert.True(PolicyCommands.TryApplyParam(ref r, "max_tokens=100", out _));
        Assert.True(PolicyCommands.TryApplyParam(ref r, "logprobs=true", out _));
        Assert.True(PolicyCommands.TryApplyParam(ref r, "temperature=1.5", out _));
        Assert.True(PolicyCommands.TryApplyParam(ref r, "logit_bias=3", out _));

        Assert.Equal(4, r.N);
        Assert.Equal(100, r.MaxTokens);
        Assert.True(r.Logprobs);
        Assert.Equal(1.5, r.Temperature);
        Assert.Equal(3, r.LogitBiasCount);
    }

    [Theory]
    [InlineData("n")]
    [InlineData("n=four")]
    [InlineData("colour=blue")]
    public void TryApplyParam_BadInput_Fails(string text)
    {
        var r = default(PolicyRequest);

        Assert.False(PolicyCommands.TryApplyParam(ref r, text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Validate_DefaultPolicies_ExitsZero()
    {
        var rc = await PolicyCommands.Create().Parse(["validate", PolicyTestData.DefaultPolicyDirectory, "--json"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task Validate_BrokenDirectory_ExitsOne()
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "org.yaml"), "kind: organization\npurposes: 3\n", TestContext.Current.CancellationToken);
            var rc = await PolicyCommands.Create().Parse(["validate", dir, "--json"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(1, rc);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Explain_UnknownProvider_ExitsTwo()
    {
        var rc = await PolicyCommands.Create()
            .Parse(["explain", "--key", "k", "--purpose", "evaluation", "--model", "m", "--provider", "nope", "--policies", PolicyTestData.DefaultPolicyDirectory])
            .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, rc);
    }
}
