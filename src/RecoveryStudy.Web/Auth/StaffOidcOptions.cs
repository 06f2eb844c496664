namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Sign-in through an OpenID Connect provider besides passwords (section "StaffAuth:Oidc"): off
/// while Authority is empty. docs/operations.md "Staff sign-in with OpenID Connect".
/// </summary>
public sealed class StaffOidcOptions
{
    public const string Section = "StaffAuth:Oidc";

    /// <summary>The provider's issuer address (its /.well-known/openid-configuration is read from there).</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Shown on the sign-in button: "Sign in with ...".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>
    /// Link an identity to the account with its email even when the provider does not state the
    /// email is verified (Microsoft Entra ID sends no email_verified; its addresses are the
    /// tenant's own). Off: only an email the provider marks verified links an account.
    /// </summary>
    public bool TrustUnverifiedEmail { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>One line per missing setting, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (!IsConfigured)
        {
            yield break;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            yield return $"{Section}:Authority must be the provider's https:// address";
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{Section}:ClientId must be set when {Section}:Authority is";
        }
        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return $"{Section}:ClientSecret must be set when {Section}:Authority is";
        }
    }
}
