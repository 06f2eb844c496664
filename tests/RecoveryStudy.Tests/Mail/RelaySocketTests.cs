using System.Net;
using System.Net.Sockets;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// The relay connection is opened with Nagle's algorithm off: with it on, each email's last small
/// segment waits for the relay's delayed acknowledgement (bench/README.md measures the cost).
/// </summary>
public sealed class RelaySocketTests
{
    [Fact]
    public async Task The_relay_connection_is_opened_with_nagle_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepting = listener.AcceptSocketAsync();

        using var socket = await RelaySocket.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(10), CancellationToken.None);
        using var accepted = await accepting;

        Assert.True(socket.Connected);
        Assert.True(socket.NoDelay, "Nagle's algorithm is on for the relay connection");
    }

    [Fact]
    public async Task A_refused_connection_is_a_socket_error_the_transport_counts_as_the_relay_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAsync<SocketException>(() => RelaySocket.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }
}
