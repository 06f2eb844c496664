using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>The smallest study that holds a participant and a wave, for tests of the data model.</summary>
public sealed record TestWorld(Study Study, Wave Wave, Participant Participant)
{
    public static async Task<TestWorld> CreateAsync(StudyDbContext db, string? code = null)
    {
        code ??= "s" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var study = new Study { Code = code, TimeZone = "Europe/Warsaw", SenderName = "Study team", SenderEmail = "study@example.org", CreatedAt = now, Status = StudyStatus.Active };
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        var wave = new Wave { StudyId = study.Id, Code = "baseline", Anchor = "course_start", OffsetValue = -7, WindowOpensDays = 0, WindowClosesDays = 14, Roles = ["trainee"] };
        var participant = new Participant
        {
            StudyId = study.Id, Code = "P-0001", Role = "trainee", Language = "en", TimeZone = "Europe/Warsaw",
            EnrolledOn = DateOnly.FromDateTime(now), CreatedAt = now, UpdatedAt = now,
        };
        db.Waves.Add(wave);
        db.Participants.Add(participant);
        await db.SaveChangesAsync();
        return new TestWorld(study, wave, participant);
    }

    public static Invitation NewInvitation(TestWorld world) => new()
    {
        StudyId = world.Study.Id,
        ParticipantId = world.Participant.Id,
        WaveId = world.Wave.Id,
        DueDate = new DateOnly(2027, 1, 10),
        OpensAt = new DateTime(2027, 1, 10, 8, 0, 0, DateTimeKind.Utc),
        ClosesAt = new DateTime(2027, 1, 24, 8, 0, 0, DateTimeKind.Utc),
        PlannedAt = DateTime.UtcNow,
    };
}
