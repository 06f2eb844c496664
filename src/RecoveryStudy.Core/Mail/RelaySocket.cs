using System.Net.Sockets;

namespace RecoveryStudy.Mail;

/// <summary>
/// The relay's TCP connection, opened here rather than by MailKit so that Nagle's algorithm is off.
/// MailKit writes the end of a message as a small segment of its own; with Nagle on, that segment
/// waits until the relay acknowledges the one before, and a relay that delays its acknowledgements
/// (Linux does, up to 40 ms) holds every email that long: 23 emails a second on one connection to
/// the loopback sink, 437-1,090 with Nagle off (bench/README.md, "Scheduler and mail").
/// </summary>
internal static class RelaySocket
{
    public static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, limit.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"no connection to the relay within {timeout.TotalSeconds:F0} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
