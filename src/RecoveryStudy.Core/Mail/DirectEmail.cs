using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Participants;

namespace RecoveryStudy.Mail;

/// <summary>
/// A participant email sent outside the outbox (a booking invitation, confirmation or cancellation
/// notice), logged in the transaction that claims it: the per-participant daily cap counts these
/// together with the outbox's messages, in the dispatcher and in the booking job alike
/// (<see cref="MailGate"/>). Kind and reference name what was sent (a task, a slot, a cancellation);
/// no address, no text. Removed again when the claim is released unsent.
/// </summary>
public class DirectEmail
{
    public long Id { get; set; }
    public int ParticipantId { get; set; }
    public required string Kind { get; set; }
    public long Reference { get; set; }
    public DateTime ClaimedAt { get; set; }
}

internal sealed class DirectEmailConfiguration : IEntityTypeConfiguration<DirectEmail>
{
    public void Configure(EntityTypeBuilder<DirectEmail> entity)
    {
        entity.ToTable("direct_emails");
        entity.Property(e => e.Kind).HasMaxLength(32);
        // The daily cap's lookup walks the last 26 hours (few rows) rather than one descent per participant of a batch.
        entity.HasIndex(e => new { e.ClaimedAt, e.ParticipantId });
        entity.HasIndex(e => new { e.Kind, e.Reference });
        entity.HasOne<Participant>().WithMany().HasForeignKey(e => e.ParticipantId).OnDelete(DeleteBehavior.Cascade);
    }
}
