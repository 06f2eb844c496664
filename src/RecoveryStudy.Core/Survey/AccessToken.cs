using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Survey;

/// <summary>
/// The SHA-256 hash of a personal link's token. The token itself (at least 128 random bits)
/// exists only in the email that carried it; each email gets fresh tokens.
/// </summary>
public class AccessToken
{
    public required byte[] Hash { get; set; }
    public long InvitationId { get; set; }
    public required string Purpose { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> entity)
    {
        entity.HasKey(t => t.Hash);
        entity.Property(t => t.Purpose).HasMaxLength(16);
        entity.HasAllowedValues("access_token", "purpose", TokenPurpose.All);
        entity.ToTable(t => t.HasCheckConstraint("ck_access_token_hash_length", "length(hash) = 32"));
        entity.HasOne<Invitation>().WithMany().HasForeignKey(t => t.InvitationId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(t => t.InvitationId);
    }
}
