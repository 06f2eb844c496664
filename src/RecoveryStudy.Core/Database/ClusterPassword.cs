using System.Security.Cryptography;

namespace RecoveryStudy.Database;

/// <summary>
/// How the private cluster is closed to everyone else on the machine: every connection, over the
/// socket or loopback TCP, must give the superuser's password (SCRAM-SHA-256). The password is
/// 256 random bits, kept in the cluster folder in a file only its owner may read (mode 0600;
/// as root, the postgres system user owns it and root reads it anyway).
/// A data folder made by an older version with trust authentication has no such file: it gets a
/// password set in single-user mode (no server listening meanwhile), and its pg_hba.conf is
/// rewritten before every start, so a trust line added by hand never survives a restart.
/// </summary>
internal static class ClusterPassword
{
    public const string SecretFileName = "superuser.secret";
    public const string Superuser = "postgres";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const string HostBasedAccess = """
        # Written by RecoveryStudy before every start: a password (SCRAM-SHA-256) for every connection.
        local   all   all                  scram-sha-256
        host    all   all   127.0.0.1/32   scram-sha-256
        host    all   all   ::1/128        scram-sha-256

        """;

    public static string SecretFile(string folder) => Path.Combine(folder, SecretFileName);

    /// <summary>
    /// The superuser's password of the cluster in <paramref name="folder"/>: read from its secret
    /// file, or made now (by initdb for a new data folder, in single-user mode for an old one).
    /// </summary>
    public static async Task<string> EnsureAsync(string bin, string folder, string data, bool running, CancellationToken cancellationToken)
    {
        var secretFile = SecretFile(folder);
        var initialized = File.Exists(Path.Combine(data, "PG_VERSION"));
        if (File.Exists(secretFile))
        {
            if (!initialized && !running)
            {
                // The data folder was removed by hand: a new one with the password kept.
                await InitDbAsync(bin, data, secretFile, cancellationToken);
            }
            if (!OperatingSystem.IsWindows())
            {
                // A file opened up by hand is closed again.
                File.SetUnixFileMode(secretFile, OwnerOnly);
            }
            return (await File.ReadAllTextAsync(secretFile, cancellationToken)).Trim();
        }
        if (running)
        {
            throw new EmbeddedClusterException(
                $"The PostgreSQL cluster in {data} runs without a password (made by an older version with trust authentication): stop the process that runs it, then start again and the cluster is switched to passwords.");
        }
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // Written under another name first: the secret file exists only once the server knows the password.
        var pending = secretFile + ".new";
        await WriteOwnerOnlyAsync(pending, password, cancellationToken);
        await ServerTools.HandOverFileAsync(pending, cancellationToken);
        if (!initialized)
        {
            await InitDbAsync(bin, data, pending, cancellationToken);
        }
        else
        {
            await SetInSingleUserModeAsync(bin, data, password, cancellationToken);
        }
        File.Move(pending, secretFile, overwrite: true);
        return password;
    }

    private static Task InitDbAsync(string bin, string data, string passwordFile, CancellationToken cancellationToken) =>
        ServerTools.RunAsync(bin, "initdb",
            ["-D", data, "-U", Superuser, "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);

    /// <summary>Replaces the data folder's pg_hba.conf (the file keeps its owner and mode).</summary>
    public static Task WriteHostBasedAccessAsync(string data, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(data, "pg_hba.conf"), HostBasedAccess, cancellationToken);

    private static async Task WriteOwnerOnlyAsync(string path, string content, CancellationToken cancellationToken)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken);
    }

    private static async Task SetInSingleUserModeAsync(string bin, string data, string password, CancellationToken cancellationToken)
    {
        var statement = $"ALTER ROLE {Superuser} PASSWORD '{password}';\n";
        var (exitCode, output) = await ServerTools.RunToolAsync(bin, "postgres",
            ["--single", "-D", data, "-c", "password_encryption=scram-sha-256", "postgres"], statement, cancellationToken);
        if (exitCode != 0 || output.Contains("ERROR:", StringComparison.Ordinal) || output.Contains("FATAL:", StringComparison.Ordinal))
        {
            // The server may echo the failed statement; the password must not reach the message.
            var said = string.Join(" ", output.Split('\n').Where(line => !line.Contains(password, StringComparison.Ordinal)).Select(l => l.Trim()));
            throw new InvalidOperationException($"Could not set the superuser password of {data} (postgres --single, exit code {exitCode}): {said.Trim()}");
        }
    }
}
