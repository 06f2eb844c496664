using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The participant pages show a moment in the participant's zone (the study's unless the roster
/// gave another), with the zone named, never the UTC value.
/// </summary>
public sealed class ParticipantTimeZoneTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    /// <summary>15 June 2026 03:07 UTC is 15:07 in Auckland (NZST, +12).</summary>
    private static readonly DateTime Moment = new(2026, 6, 15, 3, 7, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(false, "You can answer until 15 June 2026, 15:07 (Pacific/Auckland).")]
    [InlineData(true, "Your answers were submitted on 15 June 2026, 15:07 (Pacific/Auckland).")]
    public async Task The_survey_and_completed_pages_show_local_time_with_the_zone(bool completed, string sentence)
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, "en");
            await db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.TimeZone, "Pacific/Auckland"));
            await db.Participants.Where(p => p.Id == world.Participant.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.TimeZone, "Pacific/Auckland"));
            var closes = completed ? DateTime.UtcNow.AddDays(5) : Moment.AddYears(5);
            var expected = Moment.AddYears(completed ? 0 : 5);
            await db.Invitations.Where(i => i.Id == world.Invitation.Id).ExecuteUpdateAsync(u => u
                .SetProperty(i => i.ClosesAt, closes)
                .SetProperty(i => i.Status, i => completed ? InvitationStatus.Completed : i.Status)
                .SetProperty(i => i.CompletedAt, i => completed ? Moment : i.CompletedAt));
            sentence = sentence.Replace("2026", expected.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var participant = new ParticipantClient(app);

        var (_, body, _) = await participant.GetAsync("/s/" + world.SurveyToken);

        var text = System.Net.WebUtility.HtmlDecode(body);
        Assert.Contains(sentence, text, StringComparison.Ordinal);
        Assert.DoesNotContain("03:07", text, StringComparison.Ordinal);
    }
}
