using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// The participant's personal booking link of one interview task: only the SHA-256 hash of its
/// token is stored (as for survey links). One per task (unique), and the row is written before the
/// invitation goes to the relay, so a task's booking invitation is never sent twice.
/// </summary>
public class BookingLink
{
    public required byte[] Hash { get; set; }
    public long InterviewTaskId { get; set; }

    /// <summary>When the invitation carrying this link was claimed for sending.</summary>
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class BookingLinkConfiguration : IEntityTypeConfiguration<BookingLink>
{
    public void Configure(EntityTypeBuilder<BookingLink> entity)
    {
        entity.HasKey(l => l.Hash);
        entity.HasIndex(l => l.InterviewTaskId).IsUnique();
        entity.ToTable(t => t.HasCheckConstraint("ck_booking_link_hash_length", "length(hash) = 32"));
        entity.HasOne<InterviewTask>().WithMany().HasForeignKey(l => l.InterviewTaskId).OnDelete(DeleteBehavior.Cascade);
    }
}
