using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Database;

namespace RecoveryStudy.Bench;

/// <summary>A private PostgreSQL cluster and the repository's aiosmtpd sink on loopback, both stopped at the end.</summary>
internal sealed class BenchWorld : IAsyncDisposable
{
    private readonly string folder;
    private readonly PostgresCluster cluster;
    private readonly Process sink;

    private BenchWorld(string folder, PostgresCluster cluster, Process sink, int smtpPort, string mailFolder, string connectionString)
    {
        this.folder = folder;
        this.cluster = cluster;
        this.sink = sink;
        SmtpPort = smtpPort;
        MailFolder = mailFolder;
        ConnectionString = connectionString;
    }

    public int SmtpPort { get; }
    public string MailFolder { get; }
    public string ConnectionString { get; }

    /// <summary>CPU seconds the database server has used so far.</summary>
    public double ServerCpuSeconds() => CpuMeter.PostmasterSeconds(cluster.DataDirectory);

    /// <summary>CPU seconds the SMTP sink has used so far.</summary>
    public double SinkCpuSeconds() => CpuMeter.ProcessTreeSeconds(sink.Id);

    /// <summary>CPU seconds this process has used so far.</summary>
    public static double OwnCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public static async Task<BenchWorld> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rs-bench-" + Guid.NewGuid().ToString("N")[..8]);
        // The server runs with its normal durability settings (fsync on), as a deployment would.
        var cluster = await PostgresCluster.StartAsync(Path.Combine(folder, "pg"));
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE bench", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = cluster.ConnectionString("bench", maxPoolSize: 20);
        await using (var db = DatabaseSetup.CreateContext(connectionString))
        {
            await db.Database.MigrateAsync();
        }

        var mailFolder = Path.Combine(folder, "mail");
        Directory.CreateDirectory(mailFolder);
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tests", "RecoveryStudy.Tests", "Infrastructure", "smtp_sink.py"));
        start.ArgumentList.Add(mailFolder);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var sink = Process.Start(start)!;
        if (await sink.StandardOutput.ReadLineAsync() != "READY")
        {
            throw new InvalidOperationException("SMTP sink did not start: " + await sink.StandardError.ReadToEndAsync());
        }
        return new BenchWorld(folder, cluster, sink, port, mailFolder, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        sink.Kill(entireProcessTree: true);
        await sink.WaitForExitAsync();
        sink.Dispose();
        NpgsqlConnection.ClearAllPools();
        await cluster.StopAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory.
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RecoveryStudy.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
