using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Staff;

/// <summary>A staff member's token for the JSON/CSV API; only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    public int Id { get; set; }
    public int StaffUserId { get; set; }
    public required string Name { get; set; }
    public required byte[] Hash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>From this moment the token is refused; null: it lasts until revoked.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> entity)
    {
        entity.HasIndex(t => t.Hash).IsUnique();
        entity.Property(t => t.Name).HasMaxLength(100);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(t => t.StaffUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
