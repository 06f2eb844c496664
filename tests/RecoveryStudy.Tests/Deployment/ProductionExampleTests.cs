using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>
/// ops/deploy/appsettings.Production.example.json: every key in it is one the host reads (the
/// README's configuration table lists those), and a Production host given it (with a real
/// certificate in place of the example path) passes the Production checks and the options' own.
/// </summary>
public sealed partial class ProductionExampleTests
{
    private static string Example => DeployFiles.Path("appsettings.Production.example.json");

    [Fact]
    public void Every_key_of_the_example_is_a_documented_setting()
    {
        var documented = DocumentedKeys();
        var keys = Leaves(new ConfigurationBuilder().AddJsonFile(Example).Build()).ToList();

        Assert.True(keys.Count >= 20, $"only {keys.Count} keys parsed");
        // Logging:LogLevel:* is ASP.NET Core's own section, by category name.
        var unknown = keys.Where(k => !documented.Contains(k) && !k.StartsWith("Logging:LogLevel:", StringComparison.Ordinal)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task The_example_passes_the_production_checks_and_every_option_validates()
    {
        using var certificate = new TestCertificate();
        await using var app = AppHost.Build(["--environment=Production"], builder =>
        {
            builder.Configuration.AddJsonFile(Example);
            builder.Configuration[KeyProtection.CertificatePathKey] = certificate.PfxPath;
            builder.Configuration[KeyProtection.CertificatePasswordKey] = TestCertificate.Password;
        });

        Assert.Empty(ProductionSettings.Problems(app.Configuration));
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("https://study.example.org", app.Configuration["App:PublicBaseUrl"]);
    }

    [Fact]
    public void Every_setting_the_production_checks_name_is_in_the_example()
    {
        var keys = Leaves(new ConfigurationBuilder().AddJsonFile(Example).Build()).ToHashSet();
        foreach (var key in new[] { "ConnectionStrings:Main", "App:PublicBaseUrl", "AllowedHosts", "Mail:Smtp:Security", KeyProtection.CertificatePathKey, "ReverseProxy:KnownProxies", "Security:Hsts" })
        {
            Assert.Contains(key, keys);
        }
    }

    private static IEnumerable<string> Leaves(IConfiguration configuration) =>
        configuration.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null).Select(kv => kv.Key);

    /// <summary>The keys named (in backticks) in the first column of README.md's configuration table.</summary>
    private static HashSet<string> DocumentedKeys()
    {
        var readme = File.ReadAllText(Path.Combine(DeployFiles.Root, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => KeyPattern().Matches(l.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex KeyPattern();
}
