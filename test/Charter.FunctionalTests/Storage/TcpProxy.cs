// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Charter.FunctionalTests.Storage;

/// <summary>A loopback TCP proxy that can be cut (every connection dropped, new ones refused) and restored, to simulate an outage.</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accept;
    private volatile bool _down;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _down = true;
        lock (_lock)
        {
            foreach (var c in _open)
            {
                c.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accept;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_down)
            {
                client.Dispose();
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        lock (_lock)
        {
            _open.Add(client);
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }
        }
    }
}
