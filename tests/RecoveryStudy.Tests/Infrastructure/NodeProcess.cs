using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// One node of a deployment: the built web host (<see cref="HostProcess"/>) or a published
/// release's (<see cref="PublishedRelease"/>) listening on a free
/// loopback port, started and waited for until /health answers 200, stopped with SIGTERM.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder errors = new();

    private NodeProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public int Port { get; }

    public static Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        StartAsync(environment, timeout, settings => HostProcess.StartInfo(settings, "serve"));

    /// <summary>A node of a published release: its `recoverystudy serve`.</summary>
    public static Task<NodeProcess> StartAsync(PublishedRelease release, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        StartAsync(environment, timeout, settings => release.StartInfo(settings, "serve"));

    private static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        Func<IReadOnlyDictionary<string, string>, ProcessStartInfo> serve)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" };
        var node = new NodeProcess(Process.Start(serve(settings))!, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline && !node.process.HasExited)
        {
            try
            {
                using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
                last = $"{(int)health.StatusCode} {await health.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's timeout.
            }
            await Task.Delay(250);
        }
        await node.DisposeAsync();
        throw new InvalidOperationException($"node on port {port} did not become healthy within {timeout} (last /health: {last}; exited: {node.process.HasExited}): {node.Errors}");
    }

    public string Errors
    {
        get { lock (errors) { return errors.ToString(); } }
    }

    /// <summary>A port nothing listens on at the moment (the kernel's choice for port 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully (a background process ignores SIGINT).
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
