using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Participants;

/// <summary>
/// How to reach a participant, held apart from every other table so that exports, views and
/// the read-only analyst role never touch it. Email is stored lower-cased and trimmed.
/// </summary>
public class ContactDetails
{
    public int ParticipantId { get; set; }
    public int StudyId { get; set; }
    public required string Email { get; set; }
    public string? Name { get; set; }

    /// <summary>How emails greet the participant ("Hello Anna,"); without it they greet neutrally.</summary>
    public string? FirstName { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ContactDetailsConfiguration : IEntityTypeConfiguration<ContactDetails>
{
    public void Configure(EntityTypeBuilder<ContactDetails> entity)
    {
        entity.ToTable("contact_details");
        entity.HasKey(c => c.ParticipantId);
        entity.Property(c => c.Email).HasMaxLength(320);
        entity.Property(c => c.Name).HasMaxLength(200);
        entity.Property(c => c.FirstName).HasMaxLength(100);
        entity.HasIndex(c => new { c.StudyId, c.Email }).IsUnique();
        entity.HasOne<Participant>().WithOne(p => p.Contact).HasForeignKey<ContactDetails>(c => c.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Study>().WithMany().HasForeignKey(c => c.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}
