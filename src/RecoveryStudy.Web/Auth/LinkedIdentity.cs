using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Removing an account's OpenID Connect identity, by its owner (sign-in methods page) or an admin.
/// The removal also stops email linking for the account, so the identity does not link itself
/// again at its next sign-in; an account without a password keeps its identity (its only way in).
/// </summary>
public static class LinkedIdentity
{
    /// <summary>True when the account has an identity it may lose: it keeps its password to sign in with.</summary>
    public static bool CanRemove(StaffUser user) => user.OidcSubject is not null && user.HasPassword;

    /// <summary>Clears the identity; returns its issuer (for the audit entry). Call only when <see cref="CanRemove"/>.</summary>
    public static string Remove(StaffUser user, DateTime now)
    {
        if (!CanRemove(user))
        {
            throw new InvalidOperationException("The account has no identity to remove, or it is its only way to sign in.");
        }
        var issuer = user.OidcIssuer!;
        user.OidcIssuer = null;
        user.OidcSubject = null;
        user.OidcLinkedAt = null;
        user.OidcLastUsedAt = null;
        user.OidcUnlinkedAt = now;
        return issuer;
    }
}
