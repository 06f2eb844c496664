using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Studies;

/// <summary>Participants who share anchor dates, such as one course edition or one FACT team.</summary>
public class Cohort
{
    public int Id { get; set; }
    public int StudyId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public List<CohortAnchor> Anchors { get; set; } = [];
}

/// <summary>A named date shared by a cohort (course_start, course_end, ...).</summary>
public class CohortAnchor
{
    public int CohortId { get; set; }
    public required string Name { get; set; }
    public DateOnly Date { get; set; }
}

internal sealed class CohortConfiguration : IEntityTypeConfiguration<Cohort>
{
    public void Configure(EntityTypeBuilder<Cohort> entity)
    {
        entity.HasIndex(c => new { c.StudyId, c.Code }).IsUnique();
        entity.Property(c => c.Code).HasMaxLength(64);
        entity.Property(c => c.Name).HasMaxLength(200);
        entity.HasOne<Study>().WithMany(s => s.Cohorts).HasForeignKey(c => c.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CohortAnchorConfiguration : IEntityTypeConfiguration<CohortAnchor>
{
    public void Configure(EntityTypeBuilder<CohortAnchor> entity)
    {
        entity.HasKey(a => new { a.CohortId, a.Name });
        entity.Property(a => a.Name).HasMaxLength(64);
        entity.HasOne<Cohort>().WithMany(c => c.Anchors).HasForeignKey(a => a.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}
