using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Behind a reverse proxy every request arrives from the proxy's address, so the participant link
/// throttle would count all participants as one client and secure cookies would see plain HTTP.
/// `ReverseProxy:KnownProxies` (addresses) and `ReverseProxy:KnownNetworks` (CIDR) name the proxies
/// whose X-Forwarded-For and X-Forwarded-Proto are believed; from anyone else these headers are
/// ignored, so a client cannot pick its own address to escape the throttle. With neither set
/// (the default), forwarded headers are not read at all.
/// </summary>
public static class ReverseProxyHosting
{
    public const string Section = "ReverseProxy";

    public static IHostApplicationBuilder AddReverseProxy(this IHostApplicationBuilder builder)
    {
        var proxies = Values(builder.Configuration, "KnownProxies")
            .Select(value => ParseAddress(value, $"{Section}:KnownProxies")).ToList();
        var networks = Values(builder.Configuration, "KnownNetworks")
            .Select(value => ParseNetwork(value, $"{Section}:KnownNetworks")).ToList();
        builder.Services.AddSingleton(new ReverseProxyTrust(proxies.Count + networks.Count > 0));
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named here: the defaults (loopback) are replaced, not extended.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardLimit = 1;
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return builder;
    }

    public static void UseReverseProxy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ReverseProxyTrust>().Configured)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>A list setting given either as an array (`KnownProxies:0`) or as one comma-separated value.</summary>
    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection($"{Section}:{key}");
        var items = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return items.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static IPAddress ParseAddress(string value, string setting) =>
        IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException($"{setting}: '{value}' is not an IP address.");

    private static System.Net.IPNetwork ParseNetwork(string value, string setting) =>
        System.Net.IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException($"{setting}: '{value}' is not a network in CIDR notation (for example 10.0.0.0/8).");

    private sealed record ReverseProxyTrust(bool Configured);
}
