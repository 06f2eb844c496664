using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Staff;

/// <summary>
/// A one-time code that stands in for a TOTP code when the phone is lost. Only its SHA-256 hash
/// is stored (the code holds 80 random bits, so a fast hash is enough); once used, never again.
/// </summary>
public class RecoveryCode
{
    public long Id { get; set; }
    public int StaffUserId { get; set; }
    public required byte[] Hash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> entity)
    {
        entity.ToTable("staff_recovery_codes", t => t.HasCheckConstraint("ck_staff_recovery_code_hash_length", "length(hash) = 32"));
        entity.HasIndex(c => new { c.StaffUserId, c.Hash }).IsUnique();
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(c => c.StaffUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
