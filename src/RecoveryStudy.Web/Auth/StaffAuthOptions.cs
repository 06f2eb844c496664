using System.ComponentModel.DataAnnotations;

namespace RecoveryStudy.Web.Auth;

/// <summary>Staff sign-in settings (section "StaffAuth").</summary>
public sealed class StaffAuthOptions
{
    public const string Section = "StaffAuth";

    /// <summary>Failed sign-ins in a row after which the account is locked; also the most passwords checked per lock window.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a session lasts without activity.</summary>
    [Range(5, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    [Range(8, 256)]
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>
    /// Admins signing in with a password must have a second factor (TOTP): without one they reach
    /// only the enrolment page. Off only where admins sign in through an identity provider that asks for one.
    /// </summary>
    public bool RequireAdminSecondFactor { get; set; } = true;

    /// <summary>Sign-in form posts per client address per minute; more get a 429 page.</summary>
    [Range(1, 100_000)]
    public int SignInRequestsPerMinute { get; set; } = 20;
}
