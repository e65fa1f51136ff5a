// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using Charter.Configuration;
using Charter.Providers;

namespace Charter.Hosting;

/// <summary>Builds the live provider accounts: one pooled <see cref="SocketsHttpHandler"/> each, or the in-process simulator.</summary>
public static class UpstreamFactory
{
    /// <summary>Creates the accounts; <paramref name="simHandler"/> serves accounts of kind <c>sim</c>.</summary>
    public static Dictionary<string, UpstreamAccount> Create(IEnumerable<ProviderAccountOptions> accounts, Func<HttpMessageHandler> simHandler)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(simHandler);
        var result = new Dictionary<string, UpstreamAccount>(StringComparer.Ordinal);
        foreach (var a in accounts)
        {
            HttpMessageHandler handler = a.Kind == "sim" && string.IsNullOrEmpty(a.BaseUrl) ? simHandler() : CreateSocketsHandler();
            result[a.Id] = new UpstreamAccount(a, new HttpMessageInvoker(handler, disposeHandler: true));
        }

        return result;
    }

    /// <summary>The handler settings of a lean proxy hop (as YARP's forwarder uses).</summary>
    public static SocketsHttpHandler CreateSocketsHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        EnableMultipleHttp2Connections = true,
    };
}
