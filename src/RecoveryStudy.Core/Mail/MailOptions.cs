namespace RecoveryStudy.Mail;

/// <summary>How email leaves the platform (section "Mail"; every key is listed in README.md).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";
    public const string SmtpTransport = "smtp";
    public const string PickupTransport = "pickup";

    /// <summary>"smtp" (a relay) or "pickup" (.eml files into <see cref="PickupFolder"/>, the local default).</summary>
    public string Transport { get; set; } = PickupTransport;
    public string PickupFolder { get; set; } = Path.Combine("var", "mail");
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>
    /// Messages sent over one connection per batch, claimed in parts of at most
    /// <see cref="ClaimStage.PartLimit"/> while the part before is sent.
    /// </summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// Sent outcomes written to the database together (<see cref="RecordStage"/>), and the room for
    /// outcomes between sending and recording. A dispatcher that dies mid-batch re-sends at most
    /// twice this many emails; 1 writes each outcome on its own.
    /// </summary>
    public int OutcomeGroupSize { get; set; } = DefaultOutcomeGroupSize;

    public const int DefaultOutcomeGroupSize = 10;

    /// <summary>Messages per minute for the relay, across all nodes; 0 for no limit.</summary>
    public int RatePerMinute { get; set; } = 60;

    /// <summary>Messages per rolling 24 hours for the relay, across all nodes; 0 for no limit.</summary>
    public int RatePerDay { get; set; }

    /// <summary>How far ahead of the steady rate one batch may go (seconds of sending at the rate).</summary>
    public int BurstSeconds { get; set; } = 10;

    /// <summary>
    /// A granted send must start within this long of its grant (later, it waits for a new one), and
    /// the per-minute quota is counted over 60 s plus this, so that no minute at the relay sees more.
    /// </summary>
    public TimeSpan RateWindowMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many dispatch runs (nodes) may hold a connection to the relay at once.</summary>
    public int ConnectionsPerRelay { get; set; } = 1;

    public const int MaxConnectionsPerRelay = 20;

    /// <summary>How long a dispatch run holds its connection slot without renewing it (renewed after every batch).</summary>
    public TimeSpan ConnectionLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts after which a message that keeps failing temporarily (4xx, dropped connection) is failed.</summary>
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a claimed batch belongs to its dispatcher before another may take it over; renewed
    /// every third of it while the batch runs (<see cref="ClaimLeaseRenewal"/>), so a dead node's
    /// claims are taken over within about this long.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one dispatch job keeps sending before it hands over to the next tick.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Domain of the Message-ID header; empty: the domain of the study's sender address.</summary>
    public string MessageIdDomain { get; set; } = "";

    /// <summary>/health turns unhealthy when the relay has been unreachable for longer than this.</summary>
    public TimeSpan UnhealthyWhenUnreachableFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>/health turns unhealthy when this many messages failed for good in the last 24 hours.</summary>
    public int UnhealthyWhenFailedPerDay { get; set; } = 20;

    public string RelayName => Transport == SmtpTransport
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"smtp:{Smtp.Host}:{Smtp.Port}")
        : PickupTransport;

    /// <summary>Problems that stop the host from starting; empty when the options are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (Transport is not (SmtpTransport or PickupTransport))
        {
            yield return "Mail:Transport must be 'smtp' or 'pickup'";
        }
        if (Transport == SmtpTransport && string.IsNullOrWhiteSpace(Smtp.Host))
        {
            yield return "Mail:Smtp:Host is required for the smtp transport";
        }
        if (Transport == SmtpTransport && !Enum.TryParse<SmtpSecurity>(Smtp.Security, ignoreCase: true, out _))
        {
            yield return "Mail:Smtp:Security must be None, StartTls, StartTlsWhenAvailable or Tls";
        }
        foreach (var problem in Smtp.OAuth.Problems("Mail:Smtp", Smtp.User, Smtp.Password))
        {
            yield return problem;
        }
        if (Transport == PickupTransport && string.IsNullOrWhiteSpace(PickupFolder))
        {
            yield return "Mail:PickupFolder is required for the pickup transport";
        }
        if (BatchSize is < 1 or > 10_000)
        {
            yield return "Mail:BatchSize must be between 1 and 10000";
        }
        if (OutcomeGroupSize is < 1 or > 100)
        {
            yield return "Mail:OutcomeGroupSize must be between 1 and 100";
        }
        if (RatePerMinute < 0 || BurstSeconds < 1 || MaxAttempts < 1)
        {
            yield return "Mail:RatePerMinute must be 0 or more, Mail:BurstSeconds and Mail:MaxAttempts 1 or more";
        }
        if (RatePerDay < 0 || ConnectionsPerRelay is < 1 or > MaxConnectionsPerRelay || RateWindowMargin < TimeSpan.Zero || ConnectionLease <= TimeSpan.Zero)
        {
            yield return "Mail:RatePerDay must be 0 or more, Mail:ConnectionsPerRelay between 1 and 20, Mail:RateWindowMargin not negative, Mail:ConnectionLease positive";
        }
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay || ClaimLease <= TimeSpan.Zero)
        {
            yield return "Mail:RetryBaseDelay and Mail:ClaimLease must be positive, Mail:RetryMaxDelay at least RetryBaseDelay";
        }
        if (UnhealthyWhenFailedPerDay < 1 || UnhealthyWhenUnreachableFor <= TimeSpan.Zero)
        {
            // 0 would keep /health red for good, a negative time would report a relay down at its first refusal.
            yield return "Mail:UnhealthyWhenFailedPerDay must be 1 or more and Mail:UnhealthyWhenUnreachableFor positive";
        }
    }
}

public sealed class SmtpSettings
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls (required), StartTlsWhenAvailable, or Tls (TLS from the first byte, port 465).</summary>
    public string Security { get; set; } = nameof(SmtpSecurity.StartTls);
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sign-in with an OAuth2 token (XOAUTH2) as <see cref="User"/> instead of a password; unset: password.</summary>
    public OAuthSettings OAuth { get; set; } = new();
}

public enum SmtpSecurity
{
    None,
    StartTls,
    StartTlsWhenAvailable,
    Tls,
}

/// <summary>Where the emailed links point (section "App").</summary>
public sealed class PublicLinkOptions
{
    public const string Section = "App";

    /// <summary>The public address of the participant pages, e.g. https://study.example.org.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    public string SurveyLink(string token) => PublicBaseUrl.TrimEnd('/') + "/s/" + token;

    public string UnsubscribeLink(string token) => PublicBaseUrl.TrimEnd('/') + "/u/" + token;
}
