// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Build_Compiles_RunsTests()
    {
        Assert.Equal(4, 2 + 2);
    }
}
