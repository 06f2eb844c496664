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
        Assert.Equal(12, await check.Participants.CountAsync(p => p.StudyId != ra.Id && p.Cohort!.Code.StartsWith("fact-")));
        Assert.All(await check.ContactDetails.Select(c => c.Email).ToListAsync(), e => Assert.EndsWith("@example.org", e, StringComparison.Ordinal));

        var followups = await check.Invitations.Where(i => i.Participant!.Cohort!.Code == "ra-edition-1" && i.Wave!.Code == "followup_16m").ToListAsync();
        Assert.Equal(12, followups.Count);
        var completed = followups.Where(i => i.Status == InvitationStatus.Completed).ToList();
        Assert.NotEmpty(completed);
        Assert.All(followups, i => Assert.Contains(i.Status, new[] { InvitationStatus.Completed, InvitationStatus.Expired, InvitationStatus.Undeliverable }));
        var completedIds = completed.Select(i => i.Id).ToList();
        Assert.True(await check.Answers.CountAsync(a => check.Responses.Any(r => r.Id == a.ResponseId && completedIds.Contains(r.InvitationId))) > completed.Count * 10);

        var sent = await check.Invitations.Where(i => i.Participant!.Cohort!.Code == "ra-edition-3" && i.Wave!.Code == "post_course").ToListAsync();
        // Everyone still reachable by email was invited; one who opted out or bounced earlier is left to the scheduler (no email).
        var reachable = await check.Participants.Where(p => p.Cohort!.Code == "ra-edition-3" && p.OptedOutAt == null && p.UndeliverableAt == null)
            .Select(p => p.Id).ToListAsync();
        Assert.Subset(sent.Select(i => i.ParticipantId).ToHashSet(), reachable.ToHashSet());
        Assert.InRange(sent.Count, 10, 12);
        // The open wave went out on its due date; some have answered since (the demo's history), the rest are open.
        Assert.All(sent, i => Assert.Equal(new DateOnly(2026, 11, 18), i.DueDate));
        Assert.All(sent, i => Assert.Contains(i.Status, new[] { InvitationStatus.Sent, InvitationStatus.Completed, InvitationStatus.Undeliverable }));
        Assert.Contains(sent, i => i.Status == InvitationStatus.Sent);
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

    [Fact]
    public async Task Demo_history_has_completions_after_the_invitation_and_reminders_1_2_3_with_falling_yield_and_some_opt_outs_and_bounces()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        await using (var db = database.CreateContext())
        {
            await new DemoSeeder(db, clock).SeedAsync(Seeds.Folder, CancellationToken.None);
        }
        await using var check = database.CreateContext();

        // Which email each completion followed: the last one sent before it (as the dashboard counts them).
        var completed = await check.Invitations.AsNoTracking().Where(i => i.Status == InvitationStatus.Completed)
            .Select(i => new { i.Id, i.CompletedAt }).ToListAsync();
        var sent = (await check.Messages.AsNoTracking().Where(m => m.Status == MessageStatus.Sent).Select(m => new { m.InvitationId, m.Kind, m.Step, m.SentAt })
            .ToListAsync()).ToLookup(m => m.InvitationId);
        var after = completed
            .Select(i => sent[i.Id].Where(m => m.SentAt <= i.CompletedAt).MaxBy(m => m.SentAt))
            .GroupBy(m => m is null ? "none" : m.Kind == MessageKind.Reminder ? $"reminder {m.Step}" : m.Kind)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.DoesNotContain("none", after.Keys);
        int[] yield = [after.GetValueOrDefault(MessageKind.Invitation), after.GetValueOrDefault("reminder 1"), after.GetValueOrDefault("reminder 2"), after.GetValueOrDefault("reminder 3")];
        Assert.All(yield, n => Assert.True(n > 0, $"completions after invitation, reminders 1-3: {string.Join(", ", yield)}"));
        // Seeded: on this date 45, 11, 9 and 3 of 69 completions (and one after the last chance).
        Assert.True(yield[0] > yield[1] && yield[1] > yield[2] && yield[2] > yield[3], $"each email brings fewer completions: {string.Join(", ", yield)}");

        // Reminders stop at completion: none was sent after the person had completed.
        var completedAt = completed.ToDictionary(i => i.Id, i => i.CompletedAt);
        Assert.DoesNotContain(sent.SelectMany(g => g), m => completedAt.TryGetValue(m.InvitationId, out var c) && m.SentAt > c);

        var optedOut = await check.Participants.AsNoTracking().Where(p => p.OptedOutAt != null).Select(p => p.Id).ToListAsync();
        Assert.InRange(optedOut.Count, 1, 10);
        var bounced = await check.Participants.AsNoTracking().Where(p => p.UndeliverableAt != null).Select(p => p.Id).ToListAsync();
        Assert.InRange(bounced.Count, 1, 10);
        // A bounce is a failed invitation with the relay's 5xx reply and an undeliverable invitation; no email after it.
        var failed = await check.Messages.AsNoTracking().Where(m => m.Status == MessageStatus.Failed).Include(m => m.Invitation).ToListAsync();
        Assert.Equal(bounced.Order(), failed.Select(m => m.Invitation!.ParticipantId).Order());
        Assert.All(failed, m => Assert.Equal((MessageKind.Invitation, DemoHistory.BounceReply, InvitationStatus.Undeliverable), (m.Kind, m.LastError, m.Invitation!.Status)));
        var stopped = optedOut.Concat(bounced).ToList();
        var stoppedAt = await check.Participants.AsNoTracking().Where(p => stopped.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => (p.OptedOutAt ?? p.UndeliverableAt)!.Value);
        var mailAfterStop = await check.Messages.AsNoTracking().Where(m => m.SentAt != null && stopped.Contains(m.Invitation!.ParticipantId))
            .Select(m => new { m.Invitation!.ParticipantId, m.SentAt }).ToListAsync();
        Assert.DoesNotContain(mailAfterStop, m => m.SentAt > stoppedAt[m.ParticipantId]);
    }
}
