using System.Net.Http.Json;
using System.Text.Json;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>
/// `ASPNETCORE_ENVIRONMENT=Production recoverystudy serve` refuses to start with a missing or unsafe
/// setting and says which, one line each; a host configured as ops/deploy says starts.
/// </summary>
public sealed class ProductionSettingsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    // Nothing listens on port 1; the checks come before the first connection.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=5";

    [Fact]
    public async Task Production_serve_without_a_connection_string_exits_with_one_line_naming_ConnectionStrings_Main()
    {
        var (code, output, error) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Main"] = "",
            ["Database__DataDirectory"] = Path.Combine(Path.GetTempPath(), "rs-never-" + Guid.NewGuid().ToString("N")[..8]),
            ["urls"] = "http://127.0.0.1:0",
        }, TimeSpan.FromSeconds(60), "serve");

        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ConnectionStrings:Main", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_serve_names_every_unsafe_setting_on_a_line_of_its_own()
    {
        var (code, output, error) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Main"] = Unreachable,
            ["App__PublicBaseUrl"] = "http://study.example.org",
            ["Mail__Transport"] = "smtp",
            ["Mail__Smtp__Host"] = "relay.example.org",
            ["Mail__Smtp__Security"] = "StartTlsWhenAvailable",
            ["AllowedHosts"] = "*",
            ["urls"] = "http://127.0.0.1:0",
        }, TimeSpan.FromSeconds(60), "serve");

        Assert.Equal(3, code);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Collection(lines,
            l => Assert.StartsWith("App:PublicBaseUrl ", l, StringComparison.Ordinal),
            l => Assert.StartsWith("Mail:Smtp:Security ", l, StringComparison.Ordinal),
            l => Assert.StartsWith("AllowedHosts ", l, StringComparison.Ordinal),
            l => Assert.StartsWith("DataProtection:CertificatePath ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_production_host_with_safe_settings_starts_and_health_names_its_version()
    {
        using var certificate = new TestCertificate();
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["App:PublicBaseUrl"] = "https://study.example.org",
            // A relay on the same machine (a local MTA) may be spoken to without TLS.
            ["Mail:Transport"] = "smtp",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Security"] = "None",
            ["AllowedHosts"] = "study.example.org;127.0.0.1",
            [KeyProtection.CertificatePathKey] = certificate.PfxPath,
            [KeyProtection.CertificatePasswordKey] = TestCertificate.Password,
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(AppVersion.Text, body.GetProperty("version").GetString());
        Assert.StartsWith(RepositoryVersion(), AppVersion.Text, StringComparison.Ordinal);
        // The console's footer says it too.
        var signIn = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var footer = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(signIn).QuerySelector("footer.version")?.TextContent;
        Assert.Equal($"RecoveryStudy {AppVersion.Text}", footer);
    }

    [Fact]
    public async Task Version_option_prints_the_repository_version_and_commit()
    {
        var (code, output, _) = await HostProcess.RunAsync(new Dictionary<string, string>(), TimeSpan.FromSeconds(60), "--version");

        Assert.Equal(0, code);
        Assert.Equal(AppVersion.Text, output.Trim());
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(RepositoryVersion())}(\\+[0-9a-f]{{7}})?$", output.Trim());
    }

    /// <summary>The VERSION file at the repository's root, found upwards from the test's output folder.</summary>
    internal static string RepositoryVersion()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var file = Path.Combine(folder.FullName, "VERSION");
            if (File.Exists(file))
            {
                return File.ReadAllText(file).Trim();
            }
        }
        throw new FileNotFoundException("VERSION not found above " + AppContext.BaseDirectory);
    }
}
