namespace RecoveryStudy.Mail;

/// <summary>
/// Sign-in with an OAuth2 access token (SASL XOAUTH2) instead of a password, for the SMTP relay
/// (Mail:Smtp:OAuth) and the bounce mailbox (Bounces:Imap:OAuth). Three ways to get the token
/// (<see cref="OAuthTokenProvider"/>): Microsoft 365 by <see cref="Tenant"/>, any token endpoint by
/// <see cref="TokenEndpoint"/> (both the client-credentials grant with a secret or a certificate),
/// or a Google service account's key file (a signed JWT, the user named as its subject: domain-wide
/// delegation). Unset (every key empty): password sign-in as before.
/// </summary>
public sealed class OAuthSettings
{
    public const string MicrosoftScope = "https://outlook.office365.com/.default";
    public const string GoogleScope = "https://mail.google.com/";

    /// <summary>Microsoft Entra tenant (id or domain): the token endpoint is that tenant's v2.0 endpoint.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Any OAuth2 token endpoint (https; http only on loopback) for the client-credentials grant.</summary>
    public string TokenEndpoint { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Instead of a secret: a certificate whose key signs a client assertion (RFC 7523), PKCS#12, or PEM with <see cref="KeyPath"/>.</summary>
    public string CertificatePath { get; set; } = "";
    public string CertificatePassword { get; set; } = "";
    public string KeyPath { get; set; } = "";

    /// <summary>A Google service account's JSON key file (client_email, private_key, token_uri).</summary>
    public string ServiceAccountKeyPath { get; set; } = "";

    /// <summary>Empty: Microsoft 365's or Google's mail scope; required with <see cref="TokenEndpoint"/>.</summary>
    public string Scope { get; set; } = "";

    /// <summary>A token is fetched again this long before it expires (at most half its lifetime before).</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => new[] { Tenant, TokenEndpoint, ClientId, ClientSecret, CertificatePath, KeyPath, ServiceAccountKeyPath, Scope }
        .Any(v => !string.IsNullOrWhiteSpace(v));

    public bool IsGoogleServiceAccount => !string.IsNullOrWhiteSpace(ServiceAccountKeyPath);

    /// <summary>The token endpoint of the client-credentials grant (not the Google key file's, which the file names).</summary>
    public string ClientCredentialsEndpoint => !string.IsNullOrWhiteSpace(TokenEndpoint)
        ? TokenEndpoint.Trim()
        : $"https://login.microsoftonline.com/{Uri.EscapeDataString(Tenant.Trim())}/oauth2/v2.0/token";

    public string EffectiveScope => !string.IsNullOrWhiteSpace(Scope) ? Scope.Trim() : IsGoogleServiceAccount ? GoogleScope : MicrosoftScope;

    /// <summary>
    /// What is missing or contradictory, each naming its key under <paramref name="prefix"/> (e.g.
    /// "Mail:Smtp"); <paramref name="user"/> and <paramref name="password"/> are the sign-in keys beside it.
    /// Nothing when no OAuth key is set.
    /// </summary>
    public IEnumerable<string> Problems(string prefix, string user, string password)
    {
        if (!IsConfigured)
        {
            yield break;
        }
        var key = prefix + ":OAuth:";
        if (string.IsNullOrWhiteSpace(user))
        {
            yield return $"{prefix}:User is required with {prefix}:OAuth: the mailbox to sign in as";
        }
        if (!string.IsNullOrEmpty(password))
        {
            yield return $"{prefix}:Password must be empty when {prefix}:OAuth is set (sign-in is by token)";
        }
        if (RefreshBefore < TimeSpan.Zero)
        {
            yield return $"{key}RefreshBefore must not be negative";
        }
        if (IsGoogleServiceAccount)
        {
            foreach (var other in new[] { (nameof(Tenant), Tenant), (nameof(TokenEndpoint), TokenEndpoint), (nameof(ClientSecret), ClientSecret), (nameof(CertificatePath), CertificatePath) })
            {
                if (!string.IsNullOrWhiteSpace(other.Item2))
                {
                    yield return $"{key}{other.Item1} must be empty with {key}ServiceAccountKeyPath (the key file names the account and its token endpoint)";
                }
            }
            if (!File.Exists(ServiceAccountKeyPath))
            {
                yield return $"{key}ServiceAccountKeyPath: no such file";
            }
            yield break;
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{key}ClientId is required";
        }
        var hasTenant = !string.IsNullOrWhiteSpace(Tenant);
        var hasEndpoint = !string.IsNullOrWhiteSpace(TokenEndpoint);
        if (hasTenant == hasEndpoint)
        {
            yield return $"{key}Tenant (Microsoft 365) or {key}TokenEndpoint is required, not both";
        }
        if (hasEndpoint && !IsAllowedEndpoint(TokenEndpoint))
        {
            yield return $"{key}TokenEndpoint must be an absolute https address (http only on 127.0.0.1 or localhost)";
        }
        if (hasEndpoint && string.IsNullOrWhiteSpace(Scope))
        {
            yield return $"{key}Scope is required with {key}TokenEndpoint";
        }
        var hasSecret = !string.IsNullOrEmpty(ClientSecret);
        var hasCertificate = !string.IsNullOrWhiteSpace(CertificatePath);
        if (hasSecret == hasCertificate)
        {
            yield return $"{key}ClientSecret or {key}CertificatePath is required, not both";
        }
        if (hasCertificate && !File.Exists(CertificatePath))
        {
            yield return $"{key}CertificatePath: no such file";
        }
        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
        {
            yield return $"{key}KeyPath: no such file";
        }
    }

    private static bool IsAllowedEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
