using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Staff;

/// <summary>
/// A staff member's signed-in console session. The cookie carries a random id; only its
/// SHA-256 hash is stored, and every request checks that the session has not ended.
/// </summary>
public class ConsoleSession
{
    public long Id { get; set; }
    public int StaffUserId { get; set; }
    public required byte[] Hash { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Moved forward at most once a minute, so the check on every request stays a read.</summary>
    public DateTime LastSeenAt { get; set; }
    public DateTime? EndedAt { get; set; }

    /// <summary>One of <see cref="SessionEnd"/>; null while the session is open.</summary>
    public string? EndReason { get; set; }
}

/// <summary>Why a console session ended.</summary>
public static class SessionEnd
{
    public const string SignOut = "signout";
    public const string PasswordChange = "password_change";
    public const string PasswordReset = "password_reset";
    public const string Disabled = "disabled";
    public const string RoleChange = "role_change";
    public const string Expired = "expired";
    public const string SecondFactorReset = "second_factor_reset";
    public const string IdentityUnlink = "identity_unlink";
    public static readonly string[] All = [SignOut, PasswordChange, PasswordReset, Disabled, RoleChange, Expired, SecondFactorReset, IdentityUnlink];
}

internal sealed class ConsoleSessionConfiguration : IEntityTypeConfiguration<ConsoleSession>
{
    public void Configure(EntityTypeBuilder<ConsoleSession> entity)
    {
        entity.ToTable("staff_sessions");
        entity.HasIndex(s => s.Hash).IsUnique();
        entity.HasIndex(s => s.StaffUserId).HasFilter("ended_at IS NULL");
        entity.Property(s => s.EndReason).HasMaxLength(32);
        entity.HasAllowedValues("staff_session", "end_reason", SessionEnd.All);
        entity.ToTable(t =>
        {
            t.HasCheckConstraint("ck_staff_session_hash_length", "length(hash) = 32");
            t.HasCheckConstraint("ck_staff_session_ended", "(ended_at IS NULL) = (end_reason IS NULL)");
        });
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(s => s.StaffUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
