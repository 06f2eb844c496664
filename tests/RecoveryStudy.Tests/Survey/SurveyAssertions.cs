using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>What the database must hold after the participant of a <see cref="SurveyWorld"/> answered everything.</summary>
public static class SurveyAssertions
{
    public static async Task AllAnswersStoredAndRemindersCancelledAsync(StudyDbContext db, SurveyWorld world)
    {
        var invitation = await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id);
        Assert.Equal(InvitationStatus.Completed, invitation.Status);
        Assert.NotNull(invitation.CompletedAt);
        Assert.Equal(world.Participant.Id, invitation.ParticipantId);
        Assert.Equal(world.Wave.Id, invitation.WaveId);

        var responses = await db.Responses.Where(r => r.InvitationId == invitation.Id).ToListAsync();
        Assert.Equal([world.Course.Id, world.Wellbeing.Id], responses.Select(r => r.InstrumentVersionId).Order());
        Assert.All(responses, r => Assert.Equal(ResponseStatus.Complete, r.Status));
        Assert.All(responses, r => Assert.NotNull(r.CompletedAt));

        var answers = await db.Answers.Where(a => responses.Select(r => r.Id).Contains(a.ResponseId))
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new { i.Code, i.InstrumentVersionId, Answer = a })
            .ToDictionaryAsync(x => x.Code);
        Assert.Equal(10, answers.Count);
        Assert.Equal(5m, answers["mod_useful"].Answer.NumericValue);
        Assert.Equal(1m, answers["recommend"].Answer.NumericValue);
        Assert.Equal(2m, answers["attended"].Answer.NumericValue);
        Assert.Equal("Work shifts", answers["attended_why"].Answer.TextValue);
        Assert.Equal([1, 3], answers["topics"].Answer.Codes ?? []);
        Assert.Equal(12.5m, answers["hours"].Answer.NumericValue);
        Assert.Equal(new DateOnly(2026, 11, 1), answers["finished_on"].Answer.DateValue);
        Assert.Equal("Helpful.\nThank you.", answers["comments"].Answer.TextValue);
        Assert.Equal(3m, answers["who_1"].Answer.NumericValue);
        Assert.Equal(4m, answers["who_2"].Answer.NumericValue);
        Assert.All(answers.Values.Where(a => a.Code.StartsWith("who", StringComparison.Ordinal)), a => Assert.Equal(world.Wellbeing.Id, a.InstrumentVersionId));
        Assert.All(answers.Values.Where(a => !a.Code.StartsWith("who", StringComparison.Ordinal)), a => Assert.Equal(world.Course.Id, a.InstrumentVersionId));

        var messages = await db.Messages.Where(m => m.InvitationId == invitation.Id).ToListAsync();
        Assert.All(messages.Where(m => m.Kind != MessageKind.Invitation), m =>
        {
            Assert.Equal(MessageStatus.Cancelled, m.Status);
            Assert.Equal("completed", m.CancelReason);
        });
        Assert.Equal(MessageStatus.Sent, messages.Single(m => m.Kind == MessageKind.Invitation).Status);
    }
}
