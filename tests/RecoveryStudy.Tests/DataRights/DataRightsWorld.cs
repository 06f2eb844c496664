using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>Answers with a known text on top of a ConsoleWorld participant, for the data-rights tests.</summary>
internal static class DataRightsWorld
{
    /// <summary>Gives the invitation's response (made when missing) the rating 4 and <paramref name="text"/> as its free-text answer.</summary>
    /// <summary>A consent answer (agreed, optional clause "future_contact" ticked as given) to a protocol version made for it.</summary>
    public static async Task ConsentAsync(StudyDbContext db, int studyId, int participantId, long invitationId, bool futureContact)
    {
        var number = 1 + await db.ProtocolVersions.Where(v => v.StudyId == studyId).Select(v => (int?)v.Version).MaxAsync() ?? 0;
        var version = new RecoveryStudy.Studies.ProtocolVersion
        {
            StudyId = studyId, Version = number, Document = "{}", Sha256 = new string('0', 64), ImportedAt = DateTime.UtcNow,
        };
        db.ProtocolVersions.Add(version);
        await db.SaveChangesAsync();
        db.Set<RecoveryStudy.Consent.ConsentRecord>().Add(new RecoveryStudy.Consent.ConsentRecord
        {
            ParticipantId = participantId, InvitationId = invitationId, ProtocolVersionId = version.Id, ConsentCode = "main", ConsentVersion = 1,
            Decision = RecoveryStudy.Consent.ConsentDecision.Agreed, Language = "en", GivenAt = DateTime.UtcNow,
            ClauseAnswers = new() { ["take_part"] = true, ["future_contact"] = futureContact },
        });
        await db.SaveChangesAsync();
    }

    public static async Task AnswerAsync(StudyDbContext db, long invitationId, string text)
    {
        var response = await db.Responses.Include(r => r.InstrumentVersion!).ThenInclude(v => v.Items).SingleAsync(r => r.InvitationId == invitationId);
        var items = response.InstrumentVersion!.Items;
        var now = DateTime.UtcNow;
        db.Answers.Add(new Answer { ResponseId = response.Id, ItemId = items.Single(i => i.Code == "who5_1").Id, NumericValue = 4, AnsweredAt = now });
        db.Answers.Add(new Answer { ResponseId = response.Id, ItemId = items.Single(i => i.Code == "note").Id, TextValue = text, AnsweredAt = now });
        await db.SaveChangesAsync();
    }
}
