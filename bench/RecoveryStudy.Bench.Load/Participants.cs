using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Bench;

/// <summary>More participants invited to the one survey of a <see cref="SurveyWorld"/>: a link token each.</summary>
internal static class Participants
{
    public static async Task<List<string>> AddAsync(StudyDbContext db, SurveyWorld world, int count, string prefix)
    {
        var at = DateTime.UtcNow;
        var invitations = new List<Invitation>();
        for (var i = 0; i < count; i++)
        {
            var participant = new RecoveryStudy.Participants.Participant
            {
                StudyId = world.Study.Id, Code = $"{prefix}-{i:D5}", Role = "trainee", Language = "en", TimeZone = "Europe/Warsaw",
                EnrolledOn = DateOnly.FromDateTime(at), CreatedAt = at, UpdatedAt = at,
            };
            var invitation = new Invitation
            {
                StudyId = world.Study.Id, Participant = participant, WaveId = world.Wave.Id, Status = InvitationStatus.Sent,
                DueDate = DateOnly.FromDateTime(at), OpensAt = at.AddDays(-1), ClosesAt = at.AddDays(27), PlannedAt = at.AddDays(-2), SentAt = at.AddDays(-1),
            };
            db.Invitations.Add(invitation);
            invitations.Add(invitation);
        }
        await db.SaveChangesAsync();
        var tokens = new List<string>();
        foreach (var invitation in invitations)
        {
            var (token, hash) = LinkTokens.Create();
            db.AccessTokens.Add(new AccessToken { Hash = hash, InvitationId = invitation.Id, Purpose = TokenPurpose.Survey, CreatedAt = at });
            tokens.Add(token);
        }
        await db.SaveChangesAsync();
        return tokens;
    }
}
