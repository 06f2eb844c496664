using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Interviews;

/// <summary>
/// The secret of an interviewer's calendar feed URL: 256 random bits, of which only the SHA-256
/// hash is stored (as for participant links). Revoked, the URL answers 404 like an unknown one.
/// </summary>
public class CalendarFeedToken
{
    public required byte[] Hash { get; set; }
    public int StaffUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class CalendarFeedTokenConfiguration : IEntityTypeConfiguration<CalendarFeedToken>
{
    public void Configure(EntityTypeBuilder<CalendarFeedToken> entity)
    {
        entity.HasKey(t => t.Hash);
        entity.ToTable(t => t.HasCheckConstraint("ck_calendar_feed_token_hash_length", "length(hash) = 32"));
        entity.HasIndex(t => t.StaffUserId);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(t => t.StaffUserId).OnDelete(DeleteBehavior.Cascade);
    }
}
