using System.Text;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>A study from the mini protocol (roles: trainee; anchors: course_start, course_end; cohort ed-1) to enroll into.</summary>
public static class RosterTestStudy
{
    public const string Header = "code,email,name,language,time_zone,role,cohort,anchor_course_start,anchor_course_end";

    public static async Task<string> CreateAsync(StudyDbContext db)
    {
        var code = "roster-" + Guid.NewGuid().ToString("N")[..8];
        var result = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(result.Succeeded);
        return code;
    }

    public static Task<ParticipantImportResult> ImportAsync(StudyDbContext db, TimeProvider clock, string study, string csv, bool bom = false, ParticipantImportOptions? options = null)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var stream = new MemoryStream(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return new ParticipantImporter(db, clock).ImportAsync(study, stream, Actor.Cli, CancellationToken.None, options);
    }

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 2, 10, 9, 30, 0, TimeSpan.Zero));
}
