using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RecoveryStudy.Database;

/// <summary>
/// A private PostgreSQL cluster run from the machine's own server binaries: the local default
/// database of the host and the one server of a test run. It listens on loopback only, with
/// its socket in its own folder, and asks every connection for the superuser's password
/// (<see cref="ClusterPassword"/>), so another local user cannot reach the data.
/// PostgreSQL refuses to run as root; as root the binaries run as the "postgres" system user.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string DebianPackage = "postgresql-15";
    private readonly string binDirectory;
    private readonly string password;
    private readonly bool ownsServer;

    private PostgresCluster(string binDirectory, string dataDirectory, int port, string password, bool ownsServer)
    {
        this.binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        this.password = password;
        this.ownsServer = ownsServer;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    /// <summary>The file holding the superuser's password, beside the data folder.</summary>
    public string SecretFile => ClusterPassword.SecretFile(Path.GetDirectoryName(DataDirectory)!);

    public string ConnectionString(string database = "postgres", int maxPoolSize = 30) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={Port};Username={ClusterPassword.Superuser};Password={password};Database={database};Maximum Pool Size={maxPoolSize};Include Error Detail=true");

    /// <summary>
    /// Starts the cluster in <paramref name="folder"/> (creating it on first use), or attaches to
    /// the one already running there, as when the CLI runs beside a serving host.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(string folder, bool forTests = false, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory() ?? throw NotInstalled();

        folder = Path.GetFullPath(folder);
        var data = Path.Combine(folder, "data");
        var socket = Path.Combine(folder, "socket");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(socket);
        await ServerTools.HandOverFolderAsync(folder, cancellationToken);

        var running = RunningPort(data) is int runningPort && await IsRunningAsync(bin, data, cancellationToken) ? runningPort : (int?)null;
        var password = await ClusterPassword.EnsureAsync(bin, folder, data, running is not null, cancellationToken);
        if (running is int port)
        {
            return new PostgresCluster(bin, data, port, password, ownsServer: false);
        }

        await ClusterPassword.WriteHostBasedAccessAsync(data, cancellationToken);
        port = FreeLoopbackPort();
        var settings = ServerSettings(port, socket, forTests);
        await ServerTools.RunAsync(bin, "pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"], cancellationToken);
        return new PostgresCluster(bin, data, port, password, ownsServer: true);
    }

    /// <summary>Stops the server if this process started it; a fast shutdown, waiting for it.</summary>
    public async Task StopAsync()
    {
        if (!ownsServer || !await IsRunningAsync(binDirectory, DataDirectory, CancellationToken.None))
        {
            return;
        }
        var postmaster = PostmasterPid(DataDirectory);
        await ServerTools.RunAsync(binDirectory, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], CancellationToken.None);
        // pg_ctl returns once the server removed its pid file, a moment before the process is gone:
        // a caller that starts another server on the folder, or checks that none runs, waits for that.
        if (postmaster is int pid)
        {
            await WaitForExitAsync(pid, TimeSpan.FromSeconds(10));
        }
    }

    private static int? PostmasterPid(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits until the process is gone (or only a zombie without a command line is left), at most <paramref name="limit"/>.</summary>
    private static async Task WaitForExitAsync(int pid, TimeSpan limit)
    {
        var commandLine = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (!File.Exists(commandLine) || (await File.ReadAllBytesAsync(commandLine)).Length == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the server at once without waiting for clients (for tests of an outage).</summary>
    public Task KillAsync() =>
        ServerTools.RunAsync(binDirectory, "pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);

    /// <summary>Starts a stopped server again on the same port.</summary>
    public async Task RestartAsync(bool forTests = true)
    {
        var folder = Path.GetDirectoryName(DataDirectory)!;
        var settings = ServerSettings(Port, Path.Combine(folder, "socket"), forTests);
        await ServerTools.RunAsync(binDirectory, "pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"], CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// The server's command-line settings. Besides loopback-only listening: settings for a
    /// write-heavy outbox, where one plan tick can write a study's whole schedule (a few hundred
    /// thousand invitations and over a million queued messages, about 0.8 GB of WAL):
    /// max_wal_size 4 GB and checkpoint_timeout 15 min, so such a tick does not force checkpoints
    /// part-way (each one is followed by full-page images of every page touched again);
    /// wal_compression lz4 to shrink the full-page images that remain; wal_buffers 16 MB, so
    /// bulk inserts are not stalled writing out a small WAL buffer; shared_buffers 256 MB, so the
    /// outbox's indexes stay in memory while a tick writes them. Measured with the benchmark
    /// (bench/README.md): the settings remove the checkpoint that the defaults forced during such
    /// a tick, but its time hardly changes, since it is bound by the server's CPU per row, not by
    /// the disk. Durability stays on (fsync, synchronous_commit, full_page_writes) outside tests;
    /// tests turn it off, since a test run's data need not survive a machine crash.
    /// </summary>
    internal static string ServerSettings(int port, string socket, bool forTests)
    {
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {port} -k {socket} -c max_connections=300 -c shared_buffers=256MB")
            + " -c max_wal_size=4GB -c checkpoint_timeout=15min -c wal_compression=lz4 -c wal_buffers=16MB";
        if (forTests)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        return settings;
    }

    /// <summary>The one line shown when the server binaries are missing.</summary>
    internal static PostgresNotInstalledException NotInstalled() => new(
        $"PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the Debian package {DebianPackage} (apt-get install {DebianPackage}) or set ConnectionStrings:Main.");

    /// <summary>The folder holding initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH.</summary>
    public static string? FindBinDirectory() =>
        FindBinDirectory(Environment.GetEnvironmentVariable("PG_BIN"), "/usr/lib/postgresql", Environment.GetEnvironmentVariable("PATH") ?? "");

    internal static string? FindBinDirectory(string? fromEnvironment, string debianRoot, string path)
    {
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "pg_ctl")))
        {
            return fromEnvironment;
        }
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.dir, "pg_ctl")) && File.Exists(Path.Combine(d.dir, "initdb")))
                .OrderByDescending(d => d.version)
                .Select(d => d.dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
    }

    private static int? RunningPort(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static async Task<bool> IsRunningAsync(string bin, string data, CancellationToken cancellationToken)
    {
        return (await ServerTools.RunToolAsync(bin, "pg_ctl", ["-D", data, "status"], null, cancellationToken)).ExitCode == 0;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The private cluster cannot be used as it is; the one-line message says what to do.</summary>
public class EmbeddedClusterException(string message) : Exception(message);

/// <summary>The server binaries are missing; the message names the Debian package to install.</summary>
public sealed class PostgresNotInstalledException(string message) : EmbeddedClusterException(message);
