using RecoveryStudy.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>
/// The Dockerfile and ops/deploy/compose.yaml, read as files: there is no container engine on
/// this machine (a docker client without a daemon, no `docker compose`), so they are parsed and
/// checked here and never run (docs/operations.md says so).
/// </summary>
public sealed class ContainerFilesTests
{
    [Fact]
    public void Compose_has_postgres_15_two_app_nodes_nginx_and_a_mail_catcher()
    {
        var services = Map(Compose()["services"]);

        Assert.Equal(["app1", "app2", "db", "mail", "migrate", "nginx"], services.Keys.Order());
        Assert.StartsWith("postgres:15", Text(Map(services["db"])["image"]), StringComparison.Ordinal);
        Assert.StartsWith("nginx:", Text(Map(services["nginx"])["image"]), StringComparison.Ordinal);
        Assert.Equal(["443:443", "80:80"], List(Map(services["nginx"])["ports"]).Select(Text).Order());
        Assert.Equal(["127.0.0.1:8025:8025"], List(Map(services["mail"])["ports"]).Select(Text));
        foreach (var node in new[] { "app1", "app2" })
        {
            var app = Map(services[node]);
            // Built from this repository's Dockerfile, with no port of its own: reached through nginx only.
            Assert.Equal("Dockerfile", Text(Map(app["build"])["dockerfile"]));
            Assert.False(app.ContainsKey("ports"));
            var environment = Map(app["environment"]);
            Assert.Equal("false", Text(environment["Database__MigrateOnStart"]));
            Assert.Equal("172.28.0.0/24", Text(environment["ReverseProxy__KnownNetworks"]));
            Assert.Contains("Host=db;", Text(environment["ConnectionStrings__Main"]), StringComparison.Ordinal);
            Assert.Equal("mail", Text(environment["Mail__Smtp__Host"]));
        }
        Assert.Equal(["migrate"], List(Map(services["migrate"])["command"]).Select(Text));
        var subnet = Map(List(Map(Map(Map(Compose()["networks"])["backend"])["ipam"])["config"])[0]);
        Assert.Equal("172.28.0.0/24", Text(subnet["subnet"]));
    }

    [Fact]
    public void Compose_files_it_mounts_exist()
    {
        Assert.True(File.Exists(DeployFiles.Path("nginx", "compose-site.conf")));
        Assert.True(File.Exists(Path.Combine(DeployFiles.Root, "Dockerfile")));
    }

    [Fact]
    public void The_image_runs_the_host_as_an_unprivileged_user_in_production()
    {
        var lines = File.ReadAllLines(Path.Combine(DeployFiles.Root, "Dockerfile")).Select(l => l.Trim()).ToList();

        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("USER app", lines);
        Assert.Contains(lines, l => l.StartsWith("ENV ASPNETCORE_ENVIRONMENT=Production", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/opt/recoverystudy/app/RecoveryStudy.Web.dll\"]", lines);
        Assert.Contains("CMD [\"serve\"]", lines);
    }

    [Fact]
    public void The_compose_nginx_site_keeps_the_production_sites_rules()
    {
        var production = File.ReadAllLines(DeployFiles.Path("nginx", "recoverystudy.conf")).Select(l => l.Trim()).ToHashSet();
        var compose = File.ReadAllLines(DeployFiles.Path("nginx", "compose-site.conf")).Select(l => l.Trim()).ToHashSet();
        foreach (var rule in production.Where(l => l.StartsWith("client_max_body_size", StringComparison.Ordinal) || l.StartsWith("proxy_set_header", StringComparison.Ordinal) || l.StartsWith("location ^~", StringComparison.Ordinal)))
        {
            Assert.Contains(rule, compose);
        }
    }

    /// <summary>compose.yaml with its merge keys (`&lt;&lt;: *app`) resolved, as Compose reads it.</summary>
    private static Dictionary<object, object> Compose()
    {
        using var reader = new StringReader(File.ReadAllText(DeployFiles.Path("compose.yaml")));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<string, object> Map(object node) =>
        ((Dictionary<object, object>)node).ToDictionary(kv => (string)kv.Key, kv => kv.Value);

    private static List<object> List(object node) => (List<object>)node;

    private static string Text(object node) => (string)node;
}
