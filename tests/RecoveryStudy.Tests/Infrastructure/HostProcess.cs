using System.Diagnostics;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// The built host (RecoveryStudy.Web.dll, copied beside this test assembly) as its own process,
/// so that its environment (ASPNETCORE_ENVIRONMENT, ConnectionStrings__Main ...) is its own and
/// not this test run's. The environment variables naming an environment are removed unless given.
/// </summary>
public static class HostProcess
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "RecoveryStudy.Web.dll");

    /// <summary>The dotnet executable running these tests (or the one on PATH).</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartInfo(Dotnet, [DllPath, .. args], AppContext.BaseDirectory, environment);

    /// <summary>
    /// <paramref name="program"/> with <paramref name="args"/> (a release's `recoverystudy` launcher,
    /// or dotnet and a host dll), output redirected, environment as above.
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>Runs a verb to its end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args) =>
        RunAsync(StartInfo(environment, args), timeout);

    /// <summary>Runs <paramref name="start"/> to its end (at most <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not exit within {timeout}: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
