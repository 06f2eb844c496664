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
    /// <summary>
    /// Answers every question of the survey for each of these participants, as if they had paged
    /// through to the last page: one response per instrument, one answer per question.
    /// </summary>
    public static async Task AnswerEverythingAsync(StudyDbContext db, SurveyWorld world, IReadOnlyList<string> tokens)
    {
        var at = DateTime.UtcNow;
        var hashes = tokens.Select(t => LinkTokens.Hash(t)!).ToList();
        var invitationIds = db.AccessTokens.Where(t => hashes.Contains(t.Hash)).Select(t => t.InvitationId).ToList();
        foreach (var invitationId in invitationIds)
        {
            foreach (var version in new[] { world.Course, world.Wellbeing })
            {
                db.Responses.Add(new Response
                {
                    InvitationId = invitationId, InstrumentVersionId = version.Id, StartedAt = at, UpdatedAt = at,
                    Answers = version.Items.Where(i => i.Type != ItemType.Section).Select(i => Answer(i, at)).ToList(),
                });
            }
        }
        await db.SaveChangesAsync();
    }

    private static Answer Answer(RecoveryStudy.Instruments.Item item, DateTime at) => item switch
    {
        { Options: [var first, ..] } => new Answer { ItemId = item.Id, Codes = [first.Code], AnsweredAt = at },
        { Type: ItemType.Date } => new Answer { ItemId = item.Id, DateValue = DateOnly.FromDateTime(at), AnsweredAt = at },
        { Type: ItemType.ShortText or ItemType.LongText } =>
            new Answer { ItemId = item.Id, TextValue = "An answer typed on a phone", AnsweredAt = at },
        _ => new Answer { ItemId = item.Id, NumericValue = 4, AnsweredAt = at },
    };
}
