using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Interviews;

/// <summary>
/// One participant in one interview wave: a task for the study team, planned from the same anchor
/// and window as a questionnaire invitation. Its window is kept as local dates (first and last day,
/// for the task list and the calendar) and as the instant it closes (for marking it missed).
/// Holds no free text: what was said belongs in the interview's own records, not here.
/// </summary>
public class InterviewTask
{
    public long Id { get; set; }
    public int StudyId { get; set; }
    public int ParticipantId { get; set; }
    public int WaveId { get; set; }
    public DateOnly DueDate { get; set; }
    public DateOnly OpensOn { get; set; }

    /// <summary>The window's last day (inclusive).</summary>
    public DateOnly ClosesOn { get; set; }

    /// <summary>The start of the day after <see cref="ClosesOn"/> in the participant's time zone.</summary>
    public DateTime ClosesAt { get; set; }
    public string Status { get; set; } = InterviewStatus.Open;
    public int? InterviewerId { get; set; }
    public DateOnly? CompletedOn { get; set; }
    public int? DurationMinutes { get; set; }
    public string? Mode { get; set; }

    /// <summary>When the interviewer was reminded (claimed for sending; see <c>InterviewerReminderJob</c>).</summary>
    public DateTime? ReminderSentAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class InterviewStatus
{
    public const string Open = "open";
    public const string Done = "done";
    public const string Missed = "missed";
    public static readonly string[] All = [Open, Done, Missed];
}

public static class InterviewMode
{
    public const string InPerson = "in_person";
    public const string Phone = "phone";
    public const string Video = "video";
    public static readonly string[] All = [InPerson, Phone, Video];

    public static string Label(string? mode) => mode switch
    {
        InPerson => "in person",
        Phone => "phone",
        Video => "video",
        _ => "",
    };
}

internal sealed class InterviewTaskConfiguration : IEntityTypeConfiguration<InterviewTask>
{
    public void Configure(EntityTypeBuilder<InterviewTask> entity)
    {
        entity.HasIndex(t => new { t.ParticipantId, t.WaveId }).IsUnique();
        entity.HasIndex(t => new { t.StudyId, t.Status, t.OpensOn });
        entity.HasIndex(t => new { t.InterviewerId, t.Status });
        entity.HasIndex(t => t.ClosesAt).HasFilter("status = 'open'").HasDatabaseName("ix_interview_task_open_closes_at");
        entity.Property(t => t.Status).HasMaxLength(16);
        entity.Property(t => t.Mode).HasMaxLength(16);
        entity.HasAllowedValues("interview_task", "status", InterviewStatus.All);
        entity.ToTable(t =>
        {
            t.HasCheckConstraint("ck_interview_task_mode", "mode IS NULL OR mode IN ('in_person', 'phone', 'video')");
            t.HasCheckConstraint("ck_interview_task_window", "closes_on >= opens_on");
            t.HasCheckConstraint("ck_interview_task_duration", "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440");
            // A done interview says when, how long and how: the response report and the calendar rely on it.
            t.HasCheckConstraint("ck_interview_task_done", "status <> 'done' OR (completed_on IS NOT NULL AND duration_minutes IS NOT NULL AND mode IS NOT NULL)");
        });
        entity.HasOne<Study>().WithMany().HasForeignKey(t => t.StudyId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Participant>().WithMany().HasForeignKey(t => t.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Wave>().WithMany().HasForeignKey(t => t.WaveId).OnDelete(DeleteBehavior.Restrict);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(t => t.InterviewerId).OnDelete(DeleteBehavior.SetNull);
    }
}
