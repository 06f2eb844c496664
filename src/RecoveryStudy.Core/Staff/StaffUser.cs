using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Staff;

/// <summary>A researcher, analyst or admin who signs in to the console.</summary>
public class StaffUser
{
    public int Id { get; set; }
    public required string Email { get; set; }

    /// <summary>Hash from ASP.NET Core's PasswordHasher; the password itself is never stored.</summary>
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public bool Disabled { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }

    /// <summary>The console's language for this person (en, pl, da: the languages the participant pages have).</summary>
    public string Language { get; set; } = DefaultLanguage;

    /// <summary>
    /// The TOTP key (RFC 6238), encrypted with the Data Protection key ring; set at enrolment,
    /// active only once <see cref="TotpConfirmedAt"/> is set (a code proved the app has it).
    /// </summary>
    public string? TotpSecret { get; set; }
    public DateTime? TotpConfirmedAt { get; set; }

    /// <summary>The time step of the last code accepted: a code of this step or before is refused, so none is used twice.</summary>
    public long TotpLastStep { get; set; }

    /// <summary>
    /// The OpenID Connect identity linked to this account (the provider's issuer and its subject):
    /// set at the first sign-in through the provider whose verified email matched the account's.
    /// </summary>
    public string? OidcIssuer { get; set; }
    public string? OidcSubject { get; set; }

    /// <summary>When the identity was linked, and when it last opened a session (shown on the sign-in methods page).</summary>
    public DateTime? OidcLinkedAt { get; set; }
    public DateTime? OidcLastUsedAt { get; set; }

    /// <summary>
    /// Set when an identity was removed from the account (by its owner or an admin): from then on
    /// no identity links itself to the account by its email, so a removed identity does not come back.
    /// </summary>
    public DateTime? OidcUnlinkedAt { get; set; }

    /// <summary>False for an account made without a password (one that signs in only through its provider).</summary>
    public bool HasPassword => !string.IsNullOrEmpty(PasswordHash);

    public const string DefaultLanguage = "en";
    public static readonly string[] Languages = ["en", "pl", "da"];
}

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> entity)
    {
        entity.HasIndex(u => u.Email).IsUnique();
        entity.Property(u => u.Email).HasMaxLength(320);
        entity.Property(u => u.Role).HasMaxLength(16);
        entity.HasAllowedValues("staff_user", "role", StaffRole.All);
        entity.Property(u => u.Language).HasMaxLength(8).HasDefaultValue(StaffUser.DefaultLanguage);
        entity.HasAllowedValues("staff_user", "language", StaffUser.Languages);
        entity.Property(u => u.TotpSecret).HasMaxLength(1024);
        entity.ToTable(t => t.HasCheckConstraint("ck_staff_user_totp_confirmed", "totp_confirmed_at IS NULL OR totp_secret IS NOT NULL"));
        entity.Property(u => u.OidcIssuer).HasMaxLength(512);
        entity.Property(u => u.OidcSubject).HasMaxLength(255);
        entity.HasIndex(u => new { u.OidcIssuer, u.OidcSubject }).IsUnique();
        entity.ToTable(t => t.HasCheckConstraint("ck_staff_user_oidc_identity", "(oidc_issuer IS NULL) = (oidc_subject IS NULL)"));
    }
}
