using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Npgsql;
using RecoveryStudy.Database;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Database;

/// <summary>The private cluster (the host's and the test run's) asks every connection for the superuser's password.</summary>
[SupportedOSPlatform("linux")]
public sealed class ClusterPasswordTests
{
    [Fact]
    public async Task The_test_cluster_refuses_a_wrong_password_and_no_password_over_loopback_and_its_socket()
    {
        var cluster = await SharedPostgres.GetClusterAsync();
        var socket = Path.Combine(Path.GetDirectoryName(cluster.DataDirectory)!, "socket");

        foreach (var host in new[] { "127.0.0.1", socket })
        {
            var wrong = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(cluster, host, "not-the-password"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);
            var none = await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(cluster, host, null));
            Assert.Contains("No password has been provided", none.Message, StringComparison.Ordinal);
            await OpenAsync(cluster, host, new NpgsqlConnectionStringBuilder(cluster.ConnectionString()).Password);
        }
    }

    [Fact]
    public async Task Another_local_user_cannot_connect_to_the_test_cluster_with_a_wrong_password_or_none()
    {
        var cluster = await SharedPostgres.GetClusterAsync();
        var socket = Path.Combine(Path.GetDirectoryName(cluster.DataDirectory)!, "socket");

        var tcpWrong = await PsqlAsync(cluster, "127.0.0.1", "not-the-password");
        Assert.NotEqual(0, tcpWrong.ExitCode);
        Assert.Contains("password authentication failed", tcpWrong.Output, StringComparison.Ordinal);
        var tcpNone = await PsqlAsync(cluster, "127.0.0.1", null);
        Assert.NotEqual(0, tcpNone.ExitCode);
        Assert.Contains("no password supplied", tcpNone.Output, StringComparison.Ordinal);
        var socketWrong = await PsqlAsync(cluster, socket, "not-the-password");
        Assert.NotEqual(0, socketWrong.ExitCode);
        Assert.Contains("password authentication failed", socketWrong.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_random_and_kept_in_a_file_only_its_owner_may_read()
    {
        var cluster = await SharedPostgres.GetClusterAsync();
        var password = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()).Password;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cluster.SecretFile));
        Assert.Equal(password, (await File.ReadAllTextAsync(cluster.SecretFile)).Trim());
        Assert.Matches("^[0-9a-f]{64}$", password);
    }

    [Fact]
    public async Task A_data_folder_made_with_trust_authentication_gets_a_password_and_a_second_process_attaches_with_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rs-trust-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(folder);
        var bin = PostgresCluster.FindBinDirectory()!;
        await ServerTools.HandOverFolderAsync(folder, CancellationToken.None);
        await ServerTools.RunAsync(bin, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], CancellationToken.None);

        await using var cluster = await PostgresCluster.StartAsync(folder, forTests: true);
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cluster.SecretFile));
            Assert.DoesNotContain(File.ReadAllLines(Path.Combine(data, "pg_hba.conf")), line => line.Contains("trust", StringComparison.Ordinal));
            var wrong = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(cluster, "127.0.0.1", "not-the-password"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);
            await OpenAsync(cluster, "127.0.0.1", new NpgsqlConnectionStringBuilder(cluster.ConnectionString()).Password);

            // The CLI beside a serving host: it finds the server running and reads the same secret
            // (and closes the file again if someone opened it up).
            File.SetUnixFileMode(cluster.SecretFile, File.GetUnixFileMode(cluster.SecretFile) | UnixFileMode.OtherRead);
            await using var attached = await PostgresCluster.StartAsync(folder, forTests: true);
            Assert.Equal(cluster.Port, attached.Port);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(attached.SecretFile));
            await using var connection = new NpgsqlConnection(attached.ConnectionString());
            await connection.OpenAsync();
        }
        finally
        {
            await cluster.StopAsync();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task OpenAsync(PostgresCluster cluster, string host, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Host = host, Password = password, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>psql as another local user (nobody, when the tests run as root), never prompting for a password.</summary>
    private static async Task<(int ExitCode, string Output)> PsqlAsync(PostgresCluster cluster, string host, string? password)
    {
        string[] psql = ["psql", "-X", "-w", "-h", host, "-p", cluster.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"];
        var start = new ProcessStartInfo(Environment.UserName == "root" ? "runuser" : "psql")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/",
        };
        foreach (var arg in Environment.UserName == "root" ? ["-u", "nobody", "--", .. psql] : psql[1..])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("PGPASSFILE");
        start.Environment.Remove("PGPASSWORD");
        if (password is not null)
        {
            start.Environment["PGPASSWORD"] = password;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
