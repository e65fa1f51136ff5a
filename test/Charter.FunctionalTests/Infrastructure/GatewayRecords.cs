// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Records;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>The request records of a test gateway, once every request it journaled is written with its completion.</summary>
internal static class GatewayRecords
{
    /// <summary>Waits for the records to be written, then reads them all, oldest first.</summary>
    public static async Task<List<RequestRecord>> AllAsync(TestGateway gateway)
    {
        await gateway.WaitForRecordsAsync();
        var records = new List<RequestRecord>();
        await foreach (var r in gateway.App.Services.GetRequiredService<IGatewayStore>().ReadRequestsAsync(null, null))
        {
            records.Add(r);
        }

        return records;
    }
}
