using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Consent;

/// <summary>
/// A participant's answer to one consent version: agreed (with a yes or no per clause) or
/// declined. Written once and never changed; a new consent version asked again adds a row.
/// </summary>
public class ConsentRecord
{
    public long Id { get; set; }
    public int ParticipantId { get; set; }

    /// <summary>The invitation whose link the participant answered from; kept null if that invitation goes.</summary>
    public long? InvitationId { get; set; }

    /// <summary>The protocol version whose consent text the participant was shown.</summary>
    public int ProtocolVersionId { get; set; }
    public required string ConsentCode { get; set; }
    public int ConsentVersion { get; set; }
    public required string Decision { get; set; }

    /// <summary>Clause code to ticked or not, for every clause of the text; empty when declined.</summary>
    public Dictionary<string, bool> ClauseAnswers { get; set; } = [];

    /// <summary>The language the text was shown in.</summary>
    public required string Language { get; set; }
    public DateTime GivenAt { get; set; }
}

public static class ConsentDecision
{
    public const string Agreed = "agreed";
    public const string Declined = "declined";
    public static readonly string[] All = [Agreed, Declined];
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> entity)
    {
        // One answer per participant and consent version: a double click cannot store two.
        entity.HasIndex(c => new { c.ParticipantId, c.ConsentCode, c.ConsentVersion }).IsUnique();
        entity.HasIndex(c => c.InvitationId);
        entity.HasIndex(c => c.ProtocolVersionId);
        entity.Property(c => c.ConsentCode).HasMaxLength(64);
        entity.Property(c => c.Decision).HasMaxLength(16);
        entity.Property(c => c.Language).HasMaxLength(8);
        entity.Property(c => c.ClauseAnswers).HasJsonConversion();
        entity.HasAllowedValues("consent_record", "decision", ConsentDecision.All);
        entity.ToTable(t =>
        {
            t.HasCheckConstraint("ck_consent_record_version", "consent_version >= 1");
            t.HasCheckConstraint("ck_consent_record_clause_answers",
                """jsonb_typeof(clause_answers) = 'object' AND NOT jsonb_path_exists(clause_answers, '$.* ? (@.type() != "boolean")')""");
            // An agreement ticks at least one clause (the required ones); a refusal records no clause answers.
            t.HasCheckConstraint("ck_consent_record_decision_clauses",
                """(decision = 'agreed' AND jsonb_path_exists(clause_answers, '$.* ? (@ == true)')) OR (decision = 'declined' AND clause_answers = '{}'::jsonb)""");
        });
        entity.HasOne<Participant>().WithMany().HasForeignKey(c => c.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Invitation>().WithMany().HasForeignKey(c => c.InvitationId).OnDelete(DeleteBehavior.SetNull);
        // No action (checked at the end of the statement): a study's deletion removes both through their own cascades.
        entity.HasOne<ProtocolVersion>().WithMany().HasForeignKey(c => c.ProtocolVersionId).OnDelete(DeleteBehavior.NoAction);
    }
}
