using System.Diagnostics;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A release made by `ops/publish` into a folder of its own, as an operator installs it: the
/// `recoverystudy` launcher, app/, migrations/upgrade.sql, deploy/, the tarball beside it. Made
/// once per test class that uses it, deleted afterwards.
/// </summary>
public sealed class PublishedRelease : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);
    private readonly DirectoryInfo output = Directory.CreateTempSubdirectory("rs-release-");

    /// <summary>The release folder, recoverystudy-VERSION+COMMIT.</summary>
    public string Folder { get; private set; } = "";

    public string Tarball { get; private set; } = "";

    public string Launcher => Path.Combine(Folder, "recoverystudy");

    public async Task InitializeAsync()
    {
        var publish = HostProcess.StartInfo("bash", [Path.Combine(DeployFiles.Root, "ops", "publish"), output.FullName], DeployFiles.Root,
            new Dictionary<string, string>());
        var (code, stdout, stderr) = await HostProcess.RunAsync(publish, PublishTimeout);
        if (code != 0)
        {
            throw new InvalidOperationException($"ops/publish failed (exit {code}): {stderr}");
        }
        // It prints the release folder, then the tarball.
        var printed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Folder = printed.Single(line => Directory.Exists(line));
        Tarball = printed.Single(line => line.EndsWith(".tar.gz", StringComparison.Ordinal));
    }

    /// <summary>`recoverystudy VERB ...` of this release, run by the dotnet that runs these tests.</summary>
    public ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var settings = new Dictionary<string, string>(environment) { ["DOTNET"] = HostProcess.Dotnet };
        return HostProcess.StartInfo(Launcher, args, Folder, settings);
    }

    /// <summary>Runs a verb of the release to its end and returns its exit code and output.</summary>
    public Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args) =>
        HostProcess.RunAsync(StartInfo(environment, args), timeout);

    public Task DisposeAsync()
    {
        output.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
