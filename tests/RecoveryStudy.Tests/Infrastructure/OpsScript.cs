using System.Diagnostics;
using Npgsql;
using RecoveryStudy.Database;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// Runs the repository's operator scripts (ops/backup, ops/restore) and the PostgreSQL client
/// programs as an operator would: a real process, the connection string in the environment.
/// </summary>
public static class OpsScript
{
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(Seeds.Folder)!;

    /// <summary>Runs ops/NAME with ConnectionStrings__Main set; returns the exit code and stdout followed by stderr.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string name, string connectionString, params string[] arguments) =>
        RunProcessAsync(Path.Combine(RepositoryRoot, "ops", name), new Dictionary<string, string> { ["ConnectionStrings__Main"] = connectionString }, arguments);

    /// <summary>psql -f FILE on the database, stopping at the first error.</summary>
    public static Task<(int ExitCode, string Output)> PsqlFileAsync(string connectionString, string file)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = builder.Host!, ["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDATABASE"] = builder.Database!, ["PGUSER"] = builder.Username!, ["PGPASSWORD"] = builder.Password!,
        };
        var psql = Path.Combine(PostgresCluster.FindBinDirectory() ?? throw new InvalidOperationException("no PostgreSQL binaries"), "psql");
        return RunProcessAsync(psql, environment, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file);
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
