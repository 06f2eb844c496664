using System.Net;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Metrics;

/// <summary>
/// Who may read /metrics: a caller on this machine (loopback), a scraper in one of
/// `Metrics:ScrapeNetworks`, or a signed-in admin. The address is the one left after the trusted
/// forwarded headers were read (ReverseProxyHosting), so a request a trusted proxy forwards for a
/// public client is that client's. A loopback request that still carries X-Forwarded-For came
/// through a proxy this host was not told to trust (nginx on the same machine, unnamed): it is
/// someone else's request and does not count as local.
/// </summary>
public sealed class MetricsAccess(IReadOnlyList<System.Net.IPNetwork> scrapeNetworks)
{
    public const string Section = "Metrics";

    public static MetricsAccess FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{Section}:ScrapeNetworks");
        var networks = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(value => System.Net.IPNetwork.TryParse(value, out var network)
                ? network
                : throw new InvalidOperationException(
                    $"{Section}:ScrapeNetworks: '{value}' is not a network in CIDR notation (for example 10.0.0.0/8)."))
            .ToList();
        return new MetricsAccess(networks);
    }

    public bool Allows(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(StaffRole.Admin))
        {
            return true;
        }
        if (context.Connection.RemoteIpAddress is not IPAddress remote)
        {
            return false;
        }
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }
        if (IPAddress.IsLoopback(remote) && !context.Request.Headers.ContainsKey("X-Forwarded-For"))
        {
            return true;
        }
        return scrapeNetworks.Any(network => network.Contains(remote));
    }
}
