using System.Diagnostics;

namespace RecoveryStudy.Database;

/// <summary>
/// Runs the PostgreSQL server binaries. PostgreSQL refuses to run as root; as root they run as
/// the "postgres" system user, and the files they need are given to that user first.
/// </summary>
internal static class ServerTools
{
    public const string ServerUser = "postgres";

    public static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>As root, gives <paramref name="folder"/> (recursively) to the server user and checks that user can reach it.</summary>
    public static async Task HandOverFolderAsync(string folder, CancellationToken cancellationToken)
    {
        if (!RunningAsRoot)
        {
            return;
        }
        await GiveAsync(["-R", $"{ServerUser}:{ServerUser}", folder], folder, cancellationToken);
        var reach = await RunProcessAsync("runuser", ["-u", ServerUser, "--", "test", "-w", folder], null, cancellationToken);
        if (reach.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The postgres system user cannot reach {folder}: a parent folder is closed to other users. Choose another Database:DataDirectory.");
        }
    }

    /// <summary>As root, gives one file to the server user (its mode stays as it is).</summary>
    public static Task HandOverFileAsync(string file, CancellationToken cancellationToken) =>
        RunningAsRoot ? GiveAsync([$"{ServerUser}:{ServerUser}", file], file, cancellationToken) : Task.CompletedTask;

    private static async Task GiveAsync(string[] args, string path, CancellationToken cancellationToken)
    {
        var chown = await RunProcessAsync("chown", args, null, cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not give {path} to the postgres system user: {chown.Output.Trim()}");
        }
    }

    /// <summary>Runs a server tool; a non-zero exit is an exception carrying the tool's output.</summary>
    public static async Task RunAsync(string bin, string tool, string[] args, CancellationToken cancellationToken)
    {
        var result = await RunToolAsync(bin, tool, args, null, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed with exit code {result.ExitCode}: {result.Output.Trim()}");
        }
    }

    public static Task<(int ExitCode, string Output)> RunToolAsync(string bin, string tool, string[] args, string? input, CancellationToken cancellationToken)
    {
        var (file, arguments) = RunningAsRoot
            ? ("runuser", (string[])["-u", ServerUser, "--", Path.Combine(bin, tool), .. args])
            : (Path.Combine(bin, tool), args);
        return RunProcessAsync(file, arguments, input, cancellationToken);
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, string[] args, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        }
        process.StandardInput.Close();
        // pg_ctl start leaves the server holding inherited pipes; read only until the tool exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(2000, cancellationToken)) is Task<string[]> both
            ? string.Concat(both.Result)
            : "";
        return (process.ExitCode, output);
    }
}
