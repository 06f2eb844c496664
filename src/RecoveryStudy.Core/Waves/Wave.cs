using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Waves;

/// <summary>
/// A measurement wave: due on each participant's anchor date plus an offset, open for a window
/// around that date, with its instruments, the roles it applies to, and its reminder policy.
/// </summary>
public class Wave
{
    public int Id { get; set; }
    public int StudyId { get; set; }
    public required string Code { get; set; }

    /// <summary>A questionnaire emailed to participants, or an interview the study team holds (<see cref="WaveKind"/>).</summary>
    public string Kind { get; set; } = WaveKind.Questionnaire;
    public int Position { get; set; }
    public LocalizedText Title { get; set; } = new();
    public LocalizedText Intro { get; set; } = new();
    public required string Anchor { get; set; }
    public int OffsetValue { get; set; }
    public string OffsetUnit { get; set; } = Data.OffsetUnit.Days;

    /// <summary>Days relative to the due date at which the window opens (may be negative) and closes.</summary>
    public int WindowOpensDays { get; set; }
    public int WindowClosesDays { get; set; }
    public string[] Roles { get; set; } = [];

    /// <summary>Days after the invitation on which reminder 1, 2, ... go out.</summary>
    public int[] ReminderDays { get; set; } = [];

    /// <summary>Days before the window closes for a last-chance reminder; null for none.</summary>
    public int? LastChanceDaysBefore { get; set; }
    public int EstimatedMinutes { get; set; }

    /// <summary>Interview waves: days before the window closes on which the interviewer is reminded of an open task; null for the default.</summary>
    public int? InterviewerReminderDaysBefore { get; set; }

    /// <summary>Interview waves: only participants carrying this flag (<see cref="Participants.Participant.Flags"/>) get a task; null for all of the wave's roles.</summary>
    public string? RequiresFlag { get; set; }

    /// <summary>Days before an interview window closes on which the interviewer is reminded, when the protocol does not say.</summary>
    public const int DefaultInterviewerReminderDaysBefore = 7;

    /// <summary>Interview waves: the participant is emailed a link to book one of the times the interviewer offers.</summary>
    public bool InterviewBooking { get; set; }
    public WaveEmailTexts Emails { get; set; } = new();
    public string Status { get; set; } = WaveStatus.Active;
    public DateTime? PausedAt { get; set; }

    /// <summary>
    /// Raised by the database whenever the wave's instruments or any of their versions change
    /// (triggers on <c>wave_instruments</c> and <c>instrument_versions</c>), never written by the
    /// application: the participant pages key their cache of the wave's structure on it.
    /// </summary>
    public long StructureRevision { get; set; }

    public List<WaveInstrument> Instruments { get; set; } = [];
}

/// <summary>An instrument asked in a wave, in order.</summary>
public class WaveInstrument
{
    public int WaveId { get; set; }
    public int InstrumentId { get; set; }
    public int Position { get; set; }
}

internal sealed class WaveConfiguration : IEntityTypeConfiguration<Wave>
{
    public void Configure(EntityTypeBuilder<Wave> entity)
    {
        entity.HasIndex(w => new { w.StudyId, w.Code }).IsUnique();
        entity.Property(w => w.Code).HasMaxLength(64);
        entity.Property(w => w.Anchor).HasMaxLength(64);
        entity.Property(w => w.OffsetUnit).HasMaxLength(16);
        entity.Property(w => w.Kind).HasMaxLength(16).HasDefaultValue(WaveKind.Questionnaire);
        entity.Property(w => w.Status).HasMaxLength(16);
        entity.Property(w => w.RequiresFlag).HasMaxLength(64);
        var revision = entity.Property(w => w.StructureRevision).HasDefaultValue(0L).Metadata;
        revision.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        revision.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        entity.Property(w => w.Title).HasJsonConversion();
        entity.Property(w => w.Intro).HasJsonConversion();
        entity.Property(w => w.Emails).HasJsonConversion();
        entity.HasAllowedValues("wave", "offset_unit", Data.OffsetUnit.All);
        entity.HasAllowedValues("wave", "status", WaveStatus.All);
        entity.HasAllowedValues("wave", "kind", WaveKind.All);
        entity.ToTable(t => t.HasCheckConstraint("ck_wave_window", "window_closes_days > window_opens_days"));
        entity.HasOne<Study>().WithMany().HasForeignKey(w => w.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WaveInstrumentConfiguration : IEntityTypeConfiguration<WaveInstrument>
{
    public void Configure(EntityTypeBuilder<WaveInstrument> entity)
    {
        entity.HasKey(wi => new { wi.WaveId, wi.InstrumentId });
        entity.HasOne<Wave>().WithMany(w => w.Instruments).HasForeignKey(wi => wi.WaveId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Instruments.Instrument>().WithMany().HasForeignKey(wi => wi.InstrumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
