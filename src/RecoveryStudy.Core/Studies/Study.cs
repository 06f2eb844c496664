using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Studies;

/// <summary>A longitudinal study: its time zone, languages, sender and sending rules.</summary>
public class Study
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public LocalizedText Title { get; set; } = new();
    public required string TimeZone { get; set; }
    public string[] Languages { get; set; } = ["en"];
    public string DefaultLanguage { get; set; } = "en";
    public required string SenderName { get; set; }
    public required string SenderEmail { get; set; }
    public string? ContactEmail { get; set; }
    public string Status { get; set; } = StudyStatus.Draft;

    /// <summary>Local time at which a due invitation goes out.</summary>
    public TimeOnly SendTime { get; set; } = new(9, 0);
    public TimeOnly SendHoursStart { get; set; } = new(8, 0);
    public TimeOnly SendHoursEnd { get; set; } = new(20, 0);

    /// <summary>ISO days of week (1 = Monday ... 7 = Sunday) on which email may be sent.</summary>
    public int[] SendDays { get; set; } = [1, 2, 3, 4, 5];
    public int MaxEmailsPerParticipantPerDay { get; set; } = 1;
    public decimal? ResponseRateTarget { get; set; }
    public int? CurrentProtocolVersionId { get; set; }

    /// <summary>The roles participants may have and the anchors waves may count from, as the protocol declares them.</summary>
    public List<StudyRole> Roles { get; set; } = [];
    public List<StudyAnchor> Anchors { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? PausedAt { get; set; }

    /// <summary>
    /// Months after the study's last wave closed after which the contact details of all its
    /// participants are erased (docs/data-rights.md); null: kept until erased by hand.
    /// </summary>
    public int? ContactRetentionMonths { get; set; }

    /// <summary>When the study's researchers were warned of that erasure; when it was done.</summary>
    public DateTime? RetentionWarnedAt { get; set; }
    public DateTime? ContactsErasedAt { get; set; }

    public List<Cohort> Cohorts { get; set; } = [];
    public List<ProtocolVersion> ProtocolVersions { get; set; } = [];
}

internal sealed class StudyConfiguration : IEntityTypeConfiguration<Study>
{
    public void Configure(EntityTypeBuilder<Study> entity)
    {
        entity.HasIndex(s => s.Code).IsUnique();
        entity.Property(s => s.Code).HasMaxLength(64);
        entity.Property(s => s.Title).HasJsonConversion();
        entity.Property(s => s.Roles).HasJsonConversion();
        entity.Property(s => s.Anchors).HasJsonConversion();
        entity.Property(s => s.TimeZone).HasMaxLength(64);
        entity.Property(s => s.DefaultLanguage).HasMaxLength(8);
        entity.Property(s => s.SenderName).HasMaxLength(200);
        entity.Property(s => s.SenderEmail).HasMaxLength(320);
        entity.Property(s => s.ContactEmail).HasMaxLength(320);
        entity.Property(s => s.Status).HasMaxLength(16);
        entity.HasAllowedValues("study", "status", StudyStatus.All);
        entity.ToTable(t => t.HasCheckConstraint("ck_study_max_emails", "max_emails_per_participant_per_day >= 1"));
        entity.ToTable(t => t.HasCheckConstraint("ck_study_contact_retention_months", "contact_retention_months IS NULL OR contact_retention_months >= 1"));
        entity.HasOne<ProtocolVersion>().WithMany().HasForeignKey(s => s.CurrentProtocolVersionId).OnDelete(DeleteBehavior.SetNull);
    }
}
