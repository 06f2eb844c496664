using System.Net;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Settings a host that keeps real people's health data must not start without. In the
/// Production environment (the default when none is named) `serve` stops with one line per
/// unsafe setting, each naming its key, instead of running with links over plain HTTP, mail
/// sent in clear text, any Host header accepted or the key ring readable by whoever reads the
/// database. The private cluster (Database:AllowEmbedded, the demo) is not such a host.
/// </summary>
public static class ProductionSettings
{
    public const string AllowedHostsKey = "AllowedHosts";

    public static IHostApplicationBuilder RequireSafeProductionSettings(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsProduction() || builder.Configuration.GetValue(DatabaseHosting.AllowEmbeddedKey, false))
        {
            return builder;
        }
        var problems = Problems(builder.Configuration).ToList();
        return problems.Count == 0 ? builder : throw new ProductionSettingsException(problems);
    }

    /// <summary>One line per unsafe setting, each starting with its key.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        var publicUrl = configuration[$"{PublicLinkOptions.Section}:PublicBaseUrl"];
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            yield return "App:PublicBaseUrl must be the site's https:// address in Production (participants' links carry their access tokens)";
        }

        var mail = configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions();
        if (mail.Transport == MailOptions.SmtpTransport && !IsLoopback(mail.Smtp.Host)
            && Enum.TryParse<SmtpSecurity>(mail.Smtp.Security, ignoreCase: true, out var security)
            && security is not (SmtpSecurity.StartTls or SmtpSecurity.Tls))
        {
            yield return $"Mail:Smtp:Security must be StartTls or Tls for the relay {mail.Smtp.Host} in Production (it is {mail.Smtp.Security}: messages and the relay password could cross the network in clear text)";
        }

        var hosts = configuration[AllowedHostsKey];
        if (string.IsNullOrWhiteSpace(hosts) || hosts.Split(';', StringSplitOptions.TrimEntries).Contains("*"))
        {
            yield return "AllowedHosts must list the site's host names (separated by ';') in Production, not be empty or '*'";
        }

        if (string.IsNullOrWhiteSpace(configuration[KeyProtection.CertificatePathKey]))
        {
            yield return $"{KeyProtection.CertificatePathKey} must name the certificate that encrypts the Data Protection keys at rest in Production (with {KeyProtection.CertificatePasswordKey} or {KeyProtection.KeyPathKey})";
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
}

/// <summary>A Production host with unsafe settings: the message has one line per setting.</summary>
public sealed class ProductionSettingsException(IReadOnlyList<string> problems)
    : Exception(string.Join('\n', problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
