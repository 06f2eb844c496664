using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Demo;

namespace RecoveryStudy.Tests.Demo;

public sealed class DemoSeederTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Demo_has_a_finished_follow_up_with_answers_sent_waves_and_runs_twice()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        await using (var db = database.CreateContext())
        {
            await new DemoSeeder(db, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
        }

        await using var check = database.CreateContext();
        var ra = await check.Studies.SingleAsync(s => s.Code == "ra-course");
        Assert.Equal(60, await check.Participants.CountAsync(p => p.StudyId == ra.Id));
        Assert.Equal(12, await check.Participants.CountAsync(p => p.StudyId != ra.Id));
        Assert.All(await check.ContactDetails.Select(c => c.Email).ToListAsync(), e => Assert.EndsWith("@example.org", e, StringComparison.Ordinal));

        var followups = await check.Invitations.Where(i => i.Participant!.Cohort!.Code == "ra-edition-1" && i.Wave!.Code == "followup_16m").ToListAsync();
        Assert.Equal(12, followups.Count);
        var completed = followups.Where(i => i.Status == InvitationStatus.Completed).ToList();
        Assert.NotEmpty(completed);
        Assert.All(followups, i => Assert.Contains(i.Status, new[] { InvitationStatus.Completed, InvitationStatus.Expired }));
        var completedIds = completed.Select(i => i.Id).ToList();
        Assert.True(await check.Answers.CountAsync(a => check.Responses.Any(r => r.Id == a.ResponseId && completedIds.Contains(r.InvitationId))) > completed.Count * 10);

        var sent = await check.Invitations.Where(i => i.Participant!.Cohort!.Code == "ra-edition-3" && i.Wave!.Code == "post_course").ToListAsync();
        Assert.Equal(12, sent.Count);
        Assert.All(sent, i => Assert.Equal((InvitationStatus.Sent, new DateOnly(2026, 11, 18)), (i.Status, i.DueDate)));
        Assert.Equal(0, await check.Invitations.CountAsync(i => i.Participant!.Cohort!.Code == "ra-edition-4" || i.Participant!.Cohort!.Code == "ra-edition-2" && i.Wave!.Code == "followup_16m"));

        var before = await check.Invitations.CountAsync();
        clock.Advance(TimeSpan.FromHours(2));
        await using (var again = database.CreateContext())
        {
            var report = await new DemoSeeder(again, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
            Assert.Contains("ra-course: participants created 0, updated 0, unchanged 60", report);
        }
        Assert.Equal(before, await check.Invitations.CountAsync());
    }
}
