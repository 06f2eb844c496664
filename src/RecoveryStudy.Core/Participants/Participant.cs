using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Participants;

/// <summary>
/// A pseudonymous participant. Nothing here identifies a person: email and name live in
/// <see cref="ContactDetails"/>, a table the analysts' role cannot read.
/// </summary>
public class Participant
{
    public int Id { get; set; }
    public int StudyId { get; set; }
    public int? CohortId { get; set; }
    public required string Code { get; set; }
    public required string Role { get; set; }
    public required string Language { get; set; }
    public required string TimeZone { get; set; }
    public string Status { get; set; } = ParticipantStatus.Active;
    public DateOnly EnrolledOn { get; set; }

    /// <summary>Set when the participant asked for no more email of any kind.</summary>
    public DateTime? OptedOutAt { get; set; }

    /// <summary>Set when the relay rejected the address permanently (5xx).</summary>
    public DateTime? UndeliverableAt { get; set; }
    public DateTime? WithdrawnAt { get; set; }

    /// <summary>
    /// Named yes/no marks the study team sets (roster column <c>flag_&lt;name&gt;</c> or the console), such as
    /// <c>selected_for_interview</c>; a wave with <c>requires_flag</c> plans only participants who carry it.
    /// Changing them re-plans the participant (a database trigger marks them stale).
    /// </summary>
    public string[] Flags { get; set; } = [];
    public string? WithdrawalReason { get; set; }

    /// <summary>When the participant's data were erased (status erased); the row is then a tombstone.</summary>
    public DateTime? ErasedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// True while the participant's invitations and messages need (re-)planning: new participants
    /// start stale, and database triggers set it again when anchors, the protocol or the study's
    /// sending rules change (see the SchedulingOutboxAndReplan migration). The plan job clears it.
    /// </summary>
    public bool ScheduleStale { get; set; } = true;

    /// <summary>
    /// When the plan job must look at the participant again although nothing changed: the moment
    /// their next not yet queued email comes within the queue horizon (see PlanJob.QueueHorizon).
    /// Null when every planned email is queued.
    /// </summary>
    public DateTime? PlanAgainAt { get; set; }

    public Cohort? Cohort { get; set; }
    public ContactDetails? Contact { get; set; }
    public List<ParticipantAnchor> Anchors { get; set; } = [];
}

/// <summary>A participant's own date for an anchor; it overrides the cohort's date.</summary>
public class ParticipantAnchor
{
    public int ParticipantId { get; set; }
    public required string Name { get; set; }
    public DateOnly Date { get; set; }
}

internal sealed class ParticipantConfiguration : IEntityTypeConfiguration<Participant>
{
    public void Configure(EntityTypeBuilder<Participant> entity)
    {
        entity.HasIndex(p => new { p.StudyId, p.Code }).IsUnique();
        entity.Property(p => p.Code).HasMaxLength(64);
        entity.Property(p => p.Role).HasMaxLength(64);
        entity.Property(p => p.Language).HasMaxLength(8);
        entity.Property(p => p.TimeZone).HasMaxLength(64);
        entity.Property(p => p.Status).HasMaxLength(16);
        entity.Property(p => p.WithdrawalReason).HasMaxLength(2000);
        entity.Property(p => p.Flags).HasDefaultValueSql("'{}'::text[]");
        entity.HasAllowedValues("participant", "status", ParticipantStatus.All);
        entity.HasOne<Study>().WithMany().HasForeignKey(p => p.StudyId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne(p => p.Cohort).WithMany().HasForeignKey(p => p.CohortId).OnDelete(DeleteBehavior.Restrict);
        entity.HasIndex(p => p.CohortId);
        // "Who needs planning": the plan tick reads only stale rows, so its cost follows the changes, not the study size.
        entity.HasIndex(p => p.Id).HasFilter("schedule_stale").HasDatabaseName("ix_participant_schedule_stale");
        // "Whose next emails come within the horizon": read by the same tick, as cheaply.
        entity.HasIndex(p => p.PlanAgainAt).HasFilter("plan_again_at IS NOT NULL").HasDatabaseName("ix_participant_plan_again_at");
    }
}

internal sealed class ParticipantAnchorConfiguration : IEntityTypeConfiguration<ParticipantAnchor>
{
    public void Configure(EntityTypeBuilder<ParticipantAnchor> entity)
    {
        entity.HasKey(a => new { a.ParticipantId, a.Name });
        entity.Property(a => a.Name).HasMaxLength(64);
        entity.HasOne<Participant>().WithMany(p => p.Anchors).HasForeignKey(a => a.ParticipantId).OnDelete(DeleteBehavior.Cascade);
    }
}
