using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Staff;

/// <summary>
/// A staff account's membership of one study: what it may do there (<see cref="StudyMemberRole"/>)
/// and, optionally, which sites (cohorts of that study) it may see. An account that is not a member
/// of a study neither sees nor acts on it; admins are members of every study without a row.
/// </summary>
public class StudyMember
{
    public int StaffUserId { get; set; }
    public int StudyId { get; set; }
    public required string Role { get; set; }

    /// <summary>Cohort ids of this study the member is limited to; null: every participant of the study.</summary>
    public int[]? CohortIds { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A member's role in one study.</summary>
public static class StudyMemberRole
{
    /// <summary>Runs the study: protocol, enrollment, sending, contact details, datasets.</summary>
    public const string Researcher = "researcher";

    /// <summary>Keeps participants' records: contact details, anchors, withdrawals, resends, bounces, datasets.</summary>
    public const string DataManager = "data_manager";

    /// <summary>Pseudonymous data: pages, figures, datasets and the API.</summary>
    public const string Analyst = "analyst";

    /// <summary>Reads the console's pages and figures; no datasets, no API, no contact details.</summary>
    public const string Viewer = "viewer";

    public static readonly string[] All = [Researcher, DataManager, Analyst, Viewer];

    /// <summary>Roles that may see participants' contact details (and admins).</summary>
    public static bool SeesContacts(string? role) => role is StaffRole.Admin or Researcher or DataManager;
}

internal sealed class StudyMemberConfiguration : IEntityTypeConfiguration<StudyMember>
{
    public void Configure(EntityTypeBuilder<StudyMember> entity)
    {
        entity.HasKey(m => new { m.StaffUserId, m.StudyId });
        entity.HasIndex(m => m.StudyId);
        entity.Property(m => m.Role).HasMaxLength(16);
        entity.HasAllowedValues("study_member", "role", StudyMemberRole.All);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(m => m.StaffUserId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Study>().WithMany().HasForeignKey(m => m.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}
