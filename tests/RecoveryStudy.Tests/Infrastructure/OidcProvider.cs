using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (the npm package oidc-provider, installed by ops/lib/deps.sh
/// into Infrastructure/oidc) run by node on a free loopback port, with one client whose redirect
/// address is the app's callback. Its login form takes any login; the login is the subject, and
/// <c>accounts</c> gives some logins an email and email_verified.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "recoverystudy-test";
    public const string ClientSecret = "test-client-secret-that-is-long-enough";

    private readonly Process process;

    private OidcProvider(Process process, Uri authority)
    {
        this.process = process;
        Authority = authority;
    }

    public Uri Authority { get; }

    /// <summary>The app's settings that point its staff sign-in at this provider.</summary>
    public static Dictionary<string, string?> Settings(int port) => new()
    {
        ["StaffAuth:Oidc:Authority"] = $"http://127.0.0.1:{port}",
        ["StaffAuth:Oidc:ClientId"] = ClientId,
        ["StaffAuth:Oidc:ClientSecret"] = ClientSecret,
        ["StaffAuth:Oidc:DisplayName"] = "Test provider",
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<OidcProvider> StartAsync(int port, Uri redirectUri, object accounts)
    {
        var folder = Folder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed: run ops/test, or npm ci in {folder}.");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "provider.mjs", port.ToString(System.Globalization.CultureInfo.InvariantCulture), ClientId, ClientSecret, redirectUri.ToString(), JsonSerializer.Serialize(accounts) })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var provider = new OidcProvider(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient();
        var discovery = new Uri(provider.Authority, "/.well-known/openid-configuration");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(discovery);
                if (response.IsSuccessStatusCode)
                {
                    return provider;
                }
            }
            catch (HttpRequestException) when (attempt < 100 && !process.HasExited)
            {
            }
            if (attempt >= 100 || process.HasExited)
            {
                await provider.DisposeAsync();
                throw new InvalidOperationException("The OpenID Connect provider did not start.");
            }
            await Task.Delay(100);
        }
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecoveryStudy.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "RecoveryStudy.Tests", "Infrastructure", "oidc");
            }
        }
        throw new DirectoryNotFoundException("The repository root (with RecoveryStudy.sln) was not found above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
