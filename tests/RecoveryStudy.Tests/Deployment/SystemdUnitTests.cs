using System.Diagnostics;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>ops/deploy/recoverystudy.service as systemd itself reads it (systemd-analyze verify, systemd 252 on Debian 12).</summary>
public sealed class SystemdUnitTests
{
    // The one complaint this machine must give: the release is not installed under /opt here.
    private const string NotInstalledHere = "recoverystudy.service: Command /opt/recoverystudy/current/recoverystudy is not executable: No such file or directory";

    [Fact]
    public async Task The_service_unit_verifies_with_no_complaint_but_the_release_not_being_installed_here()
    {
        var unit = await File.ReadAllTextAsync(DeployFiles.Path("recoverystudy.service"));

        var complaints = await VerifyAsync(unit);

        Assert.Equal([NotInstalledHere], complaints);
    }

    [Fact]
    public async Task A_mistyped_setting_in_the_unit_is_reported()
    {
        // The contrast: verify does report a directive systemd would ignore.
        var unit = (await File.ReadAllTextAsync(DeployFiles.Path("recoverystudy.service"))).Replace("ProtectSystem=strict", "ProtectSystem=strct", StringComparison.Ordinal);

        var complaints = await VerifyAsync(unit);

        Assert.Contains(complaints, c => c.Contains("protect system value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Type=notify")]
    [InlineData("User=recoverystudy")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("PrivateTmp=yes")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("Restart=on-failure")]
    [InlineData("Environment=ASPNETCORE_ENVIRONMENT=Production")]
    public async Task The_unit_sandboxes_the_service(string line)
    {
        var unit = await File.ReadAllLinesAsync(DeployFiles.Path("recoverystudy.service"));
        Assert.Contains(line, unit);
    }

    /// <summary>Every line systemd-analyze prints about the unit (a copy in a folder of its own).</summary>
    private static async Task<List<string>> VerifyAsync(string unit)
    {
        var folder = Directory.CreateTempSubdirectory("rs-unit-").FullName;
        try
        {
            var path = Path.Combine(folder, "recoverystudy.service");
            await File.WriteAllTextAsync(path, unit);
            var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = folder };
            start.ArgumentList.Add("verify");
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (await output + await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Replace(folder + "/", "", StringComparison.Ordinal)).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
