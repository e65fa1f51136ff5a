// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Records;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Infrastructure;

/// <summary>The gateway's last request record once it has a status (a cancelled stream settles after its client left).</summary>
internal static class SettledRecord
{
    /// <summary>Polls the store for up to ~10 s; null when no record settled in that time.</summary>
    public static async Task<RequestRecord?> LastAsync(TestGateway gateway)
    {
        var store = gateway.App.Services.GetRequiredService<IGatewayStore>();
        RequestRecord? record = null;
        for (var i = 0; i < 100 && record?.Status is null; i++)
        {
            await Task.Delay(100);
            await gateway.WaitForRecordsAsync(requireComplete: false);
            await foreach (var r in store.ReadRequestsAsync(null, null))
            {
                record = r;
            }
        }

        return record;
    }
}
