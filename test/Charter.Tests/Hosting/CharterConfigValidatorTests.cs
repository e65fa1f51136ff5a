// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;

namespace Charter.Tests.Hosting;

/// <summary>The records and metrics sections of the start-up configuration check.</summary>
public sealed class CharterConfigValidatorTests
{
    [Fact]
    public void Validate_DefaultRecords_NoRecordsError()
    {
        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), new RecordsOptions());

        Assert.DoesNotContain(errors, e => e.StartsWith("Records:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralRecordsSettingsOutOfRange_ListsEveryError()
    {
        var records = new RecordsOptions { FsyncIntervalMs = 0, IntegrateIntervalMs = 20_000, SegmentBytes = 4096, IntegratorSliceMicroseconds = 50 };

        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), records);

        Assert.Contains("Records:FsyncIntervalMs must be between 1 and 100 (got 0).", errors);
        Assert.Contains("Records:IntegrateIntervalMs must be between 1 and 10000 (got 20000).", errors);
        Assert.Contains("Records:SegmentBytes must be at least 1 MiB (got 4096).", errors);
        Assert.Contains("Records:IntegratorSliceMicroseconds must be 0 (the kernel's) or between 100 and 100000 (got 50).", errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Validate_IntegratorSliceInRangeOrZero_NoError(int microseconds)
    {
        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), new RecordsOptions { IntegratorSliceMicroseconds = microseconds });

        Assert.DoesNotContain(errors, e => e.Contains("IntegratorSlice", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MetricsSettingsWrong_ListsEveryError()
    {
        var metrics = new Charter.Observability.MetricsOptions { Path = "metrics", MaxModels = 0, OtlpEndpoint = "collector:4317" };

        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), new RecordsOptions(), metrics);

        Assert.Contains("Metrics:Path 'metrics' must start with '/'.", errors);
        Assert.Contains("Metrics:MaxModels must be positive (got 0).", errors);
        Assert.Contains("Metrics:OtlpEndpoint 'collector:4317' must be an absolute http(s) URL.", errors);
    }

    [Fact]
    public void Validate_DefaultMetrics_NoMetricsError()
    {
        var errors = CharterConfigValidator.Validate(new GatewayOptions(), new ProvidersOptions(), new RecordsOptions(), new Charter.Observability.MetricsOptions());

        Assert.DoesNotContain(errors, e => e.StartsWith("Metrics:", StringComparison.Ordinal));
    }
}
