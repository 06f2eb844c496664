using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>
/// The deployment of ops/deploy on this machine: two real nodes (`recoverystudy serve` of a release
/// made by ops/publish, in the Production environment, configured as docs/operations.md says) against one PostgreSQL,
/// behind Debian's nginx with the site file ops/deploy/nginx/recoverystudy.conf (only its ports,
/// certificate and log paths changed) and a self-signed certificate.
///
/// Whose address the nodes see: on one machine nginx, the nodes and the client would all be
/// 127.0.0.1, so "the client's address, not nginx's" could not be told apart. The whole 127/8
/// network is loopback, so the client connects from 127.0.0.3 (or .4), nginx reaches the nodes
/// from 127.0.0.2 (`proxy_bind`, added for the test), and the nodes trust 127.0.0.2 alone
/// (ReverseProxy:KnownProxies). The link throttle then counts each client by the address nginx
/// forwarded; were the forwarding broken, both clients would share 127.0.0.2 and one allowance.
/// A failed staff sign-in from 127.0.0.4 is then audited with 127.0.0.4 (the audit records the
/// client's address for staff actions and sign-in attempts only, never for participants).
/// </summary>
public sealed class NginxTwoNodesTests(DatabaseFixture database, PublishedRelease release) : IClassFixture<DatabaseFixture>, IClassFixture<PublishedRelease>
{
    private const string Proxy = "127.0.0.2";
    private const int LinkLookUpsPerMinute = 3;
    // Generous: two hosts start at once on a machine that may be busy with the rest of the suite.
    private static readonly TimeSpan NodeStart = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_participant_answers_through_nginx_over_https_and_each_node_sees_the_clients_own_address()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        using var certificate = new TestCertificate("localhost");
        var httpsPort = NodeProcess.FreePort();
        var pickup = Directory.CreateTempSubdirectory("rs-nginx-mail-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Main"] = database.ConnectionString,
            ["App__PublicBaseUrl"] = $"https://localhost:{httpsPort}",
            ["AllowedHosts"] = "localhost;127.0.0.1", // 127.0.0.1: the test waits for each node's /health directly
            ["ReverseProxy__KnownProxies"] = Proxy,
            ["Security__Hsts"] = "true",
            ["DataProtection__CertificatePath"] = certificate.PfxPath,
            ["DataProtection__CertificatePassword"] = TestCertificate.Password,
            ["Mail__Transport"] = "pickup",
            ["Mail__PickupFolder"] = pickup,
            ["Jobs__Enabled"] = "false",
            ["Database__MigrateOnStart"] = "false",
            ["Participants__LinkRequestsPerMinute"] = LinkLookUpsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var nodes = await Task.WhenAll(NodeProcess.StartAsync(release, settings, NodeStart), NodeProcess.StartAsync(release, settings, NodeStart));
            await using var first = nodes[0];
            await using var second = nodes[1];
            await using var nginx = await NginxProcess.StartAsync(Site(httpsPort, certificate, first.Port, second.Port), "127.0.0.1", httpsPort);

            using (var participant = Client("127.0.0.3", httpsPort, certificate))
            {
                // The link is exchanged for the session cookie, marked Secure: the node saw https through X-Forwarded-Proto.
                using var exchange = await participant.GetAsync(new Uri("/s/" + world.SurveyToken, UriKind.Relative));
                Assert.Equal(HttpStatusCode.Redirect, exchange.StatusCode);
                var cookie = Assert.Single(exchange.Headers.GetValues("Set-Cookie"), c => c.StartsWith("rs_s=", StringComparison.Ordinal));
                Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
                Assert.Equal("HTTP/2", $"HTTP/{exchange.Version.Major}");

                await PostPageAsync(participant, 1, "next", ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
                await PostPageAsync(participant, 3, "next", ("hours", "12"));
                var done = await PostPageAsync(participant, 4, "submit", ("who_1", "3"), ("who_2", "4"));
                Assert.Equal("/survey/thanks", done);
            }
            await using (var db = database.CreateContext())
            {
                var invitation = await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id);
                Assert.Equal(InvitationStatus.Completed, invitation.Status);
            }
            // Both nodes served the survey (round robin), each reading the other's cookies and forms.
            Assert.Contains($"127.0.0.1:{first.Port}", nginx.AccessLog, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{second.Port}", nginx.AccessLog, StringComparison.Ordinal);
            Assert.Contains("\"GET /s/(token)\"", nginx.AccessLog, StringComparison.Ordinal);
            Assert.DoesNotContain(world.SurveyToken, nginx.AccessLog, StringComparison.Ordinal);

            using (var crowded = Client("127.0.0.3", httpsPort, certificate))
            using (var other = Client("127.0.0.4", httpsPort, certificate))
            {
                // 127.0.0.3 uses up its allowance on both nodes: two refusals in a row (round robin) ...
                var statuses = new List<HttpStatusCode>();
                while (statuses.Count < 4 * LinkLookUpsPerMinute && !(statuses.Count >= 2 && statuses[^1] == statuses[^2] && statuses[^1] == HttpStatusCode.TooManyRequests))
                {
                    statuses.Add(await StatusAsync(crowded, HttpMethod.Get, "/s/not-a-token"));
                }
                Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses[^2..]);
                // ... while 127.0.0.4, behind the same nginx, still has its own on both.
                Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(other, HttpMethod.Get, "/s/not-a-token"));
                Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(other, HttpMethod.Get, "/s/not-a-token"));

                // A failed staff sign-in from 127.0.0.4 is audited with 127.0.0.4, not nginx's 127.0.0.2.
                await FailSignInAsync(other);
                await using (var db = database.CreateContext())
                {
                    var failed = await db.AuditEntries.Where(a => a.Action == "signin.failed").ToListAsync();
                    Assert.Equal(IPAddress.Parse("127.0.0.4"), Assert.Single(failed).ClientAddress);
                    Assert.DoesNotContain(await db.AuditEntries.ToListAsync(), a => a.ClientAddress is not null && a.ActorKind == "participant");
                }

                // Not public.
                Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(other, HttpMethod.Get, "/hangfire"));
                Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(other, HttpMethod.Get, "/metrics"));
                // A body over nginx's limit stops at nginx; the limit leaves room for the app's largest upload.
                using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = new ByteArrayContent(new byte[12 * 1024 * 1024]) };
                using var refused = await other.SendAsync(tooLarge);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            }
            Assert.True(NginxBodyLimitBytes() >= RecoveryStudy.Web.Pages.Console.Enrollment.UploadModel.MaxBytes + RecoveryStudy.Web.Pages.Console.Uploads.UploadLimitAttribute.EnvelopeBytes);
        }
        finally
        {
            Directory.Delete(pickup, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_release_runs_its_verbs_from_its_own_folder_and_names_its_version()
    {
        var expected = File.ReadAllText(Path.Combine(DeployFiles.Root, "VERSION")).Trim();
        Assert.StartsWith($"recoverystudy-{expected}+", Path.GetFileName(release.Folder), StringComparison.Ordinal);
        Assert.True(File.Exists(release.Tarball), "no tarball beside the release folder");
        Assert.True(File.Exists(Path.Combine(release.Folder, "deploy", "recoverystudy.service")), "the release lacks deploy/");
        Assert.Contains("CREATE TABLE", File.ReadAllText(Path.Combine(release.Folder, "migrations", "upgrade.sql")), StringComparison.Ordinal);

        var name = File.ReadAllText(Path.Combine(release.Folder, "RELEASE")).Trim();
        var version = await release.RunAsync(new Dictionary<string, string>(), TimeSpan.FromMinutes(1), "--version");
        Assert.Equal(0, version.Code);
        Assert.Contains(name, version.Output, StringComparison.Ordinal);

        // A verb that reads the database, from the release folder, against an up-to-date database.
        var dryRun = await release.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Main"] = database.ConnectionString },
            TimeSpan.FromMinutes(2), "migrate", "--dry-run");
        Assert.True(dryRun.Code == 0, dryRun.Error);
        Assert.Contains("up to date", dryRun.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The production site with this machine's ports, certificate and log path; each change must apply.</summary>
    private static string Site(int httpsPort, TestCertificate certificate, int firstNode, int secondNode)
    {
        var site = File.ReadAllText(DeployFiles.Path("nginx", "recoverystudy.conf"));
        (string From, string To)[] changes =
        [
            ("listen 80;", $"listen 127.0.0.1:{NodeProcess.FreePort()};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("/etc/ssl/certs/study.example.org.pem", certificate.PemPath),
            ("/etc/ssl/private/study.example.org.key", certificate.KeyPath),
            ("/var/log/nginx/recoverystudy.access.log", "{folder}/access.log"),
            ("server 10.0.0.11:5080", $"server 127.0.0.1:{firstNode}"),
            ("server 10.0.0.12:5080", $"server 127.0.0.1:{secondNode}"),
            ("proxy_http_version 1.1;", $"proxy_http_version 1.1;\n    proxy_bind {Proxy};"),
        ];
        foreach (var (from, to) in changes)
        {
            Assert.Contains(from, site, StringComparison.Ordinal);
            site = site.Replace(from, to, StringComparison.Ordinal);
        }
        return site;
    }

    private static long NginxBodyLimitBytes()
    {
        var value = Regex.Match(File.ReadAllText(DeployFiles.Path("nginx", "recoverystudy.conf")), @"client_max_body_size (\d+)m;").Groups[1].Value;
        return long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024;
    }

    /// <summary>
    /// An HTTPS client that connects from <paramref name="source"/>, speaks HTTP/2, keeps cookies,
    /// follows no redirects, and trusts this test's certificate and nothing else.
    /// </summary>
    private static HttpClient Client(string source, int port, TestCertificate certificate)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.Certificate.GetCertHashString(),
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri($"https://localhost:{port}"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Posts the staff sign-in form (with its anti-forgery token) with an account that does not exist.</summary>
    private static async Task FailSignInAsync(HttpClient client)
    {
        var html = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = new HtmlParser().ParseDocument(html).QuerySelector("input[name='__rs_af']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no sign-in form: " + html);
        using var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(
        [
            new("__rs_af", token), new("Email", "nobody@example.org"), new("Password", "not the password"),
        ]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("email or password is not correct", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Gets the page's form (for its anti-forgery token), posts it, and returns where it redirects.</summary>
    private static async Task<string> PostPageAsync(HttpClient client, int number, string nav, params (string Name, string Value)[] fields)
    {
        var html = await client.GetStringAsync(new Uri($"/survey/page/{number}", UriKind.Relative));
        var token = new HtmlParser().ParseDocument(html).QuerySelector("input[name='__rs_af']")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"no form on page {number}: {html}");
        var form = new List<KeyValuePair<string, string>> { new("__rs_af", token), new("nav", nav) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await client.PostAsync(new Uri($"/survey/page/{number}", UriKind.Relative), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
    }
}
