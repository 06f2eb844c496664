using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>Answers with a known text on top of a ConsoleWorld participant, for the data-rights tests.</summary>
internal static class DataRightsWorld
{
    /// <summary>Gives the invitation's response (made when missing) the rating 4 and <paramref name="text"/> as its free-text answer.</summary>
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
