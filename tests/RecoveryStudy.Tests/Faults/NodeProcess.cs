using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// One node: the built web host (RecoveryStudy.Web.dll, copied next to the tests) started as a
/// real process on a free loopback port, with its job server on, against a given database and
/// SMTP port. Settings are passed as --Key=Value. <see cref="Kill"/> is kill -9;
/// <see cref="RestartAsync"/> starts it again with the same settings on the same port.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly string logFile;
    private Process? process;

    private NodeProcess(string name, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        this.settings = settings;
        Port = FreePort();
        logFile = Path.Combine(Path.GetTempPath(), $"rs-node-{name}-{Guid.NewGuid().ToString("N")[..8]}.log");
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
    public bool IsRunning => process is { HasExited: false };

    /// <summary>The running process's id: the middle part of the claimed_by of its dispatchers' claims.</summary>
    public int ProcessId => process?.Id ?? 0;

    /// <summary>
    /// The settings a node of a fault test runs with: plan and dispatch every few seconds, a short
    /// claim lease, relay without a rate limit; <paramref name="extra"/> adds or overrides.
    /// </summary>
    public static Dictionary<string, string> Settings(string connectionString, int smtpPort, IReadOnlyDictionary<string, string>? extra = null)
    {
        var values = new Dictionary<string, string>
        {
            ["ConnectionStrings:Main"] = connectionString,
            ["Database:MigrateOnStart"] = "false",
            ["Jobs:Enabled"] = "true",
            ["Jobs:Workers"] = "2",
            ["Jobs:PlanCron"] = "*/3 * * * * *",
            ["Jobs:DispatchCron"] = "*/2 * * * * *",
            ["Jobs:PollSeconds"] = "1",
            ["Jobs:LockTimeout"] = "00:00:10",
            ["Mail:Transport"] = "smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:Smtp:Timeout"] = "00:00:10",
            ["Mail:RatePerMinute"] = "0",
            ["Mail:BatchSize"] = "200",
            ["Mail:ClaimLease"] = "00:00:30",
            ["Mail:RunBudget"] = "00:00:20",
            ["App:PublicBaseUrl"] = "https://study.example.org",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:RecoveryStudy"] = "Information",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }
        return values;
    }

    /// <summary>Starts the node and waits until it answers on its port.</summary>
    public static async Task<NodeProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        var node = new NodeProcess(name, settings);
        await node.StartProcessAsync();
        return node;
    }

    /// <summary>kill -9: no shutdown, no finally blocks, claims left as they are.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(20_000);
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        process?.Dispose();
        await StartProcessAsync();
    }

    /// <summary>The status code of GET /health, or null when the node does not answer.</summary>
    public async Task<int?> HealthAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The node's log so far (stdout and stderr), for a failing assertion's message.</summary>
    public string Log() => File.Exists(logFile) ? File.ReadAllText(logFile) : "";

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // SIGTERM: the host shuts down gracefully (a background process ignores SIGINT).
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process?.Dispose();
        try
        {
            File.Delete(logFile);
        }
        catch (IOException)
        {
            // Still held by a dying process; it is in the temp directory.
        }
    }

    private async Task StartProcessAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RecoveryStudy.Web.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        // Not Production: its start-up refusals (named hosts, an encrypted key ring) are the deployment
        // tests' subject; a fault node is a production build without a production certificate.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var started = Process.Start(start) ?? throw new InvalidOperationException("could not start node " + Name);
        process = started;
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    log.WriteLine(line);
                }
            }
        }
        started.OutputDataReceived += (_, e) => Write(e.Data);
        started.ErrorDataReceived += (_, e) => Write(e.Data);
        started.Exited += (_, _) => log.Dispose();
        started.EnableRaisingEvents = true;
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await HealthAsync() is null)
        {
            if (started.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"node {Name} did not start: {Log()}");
            }
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
