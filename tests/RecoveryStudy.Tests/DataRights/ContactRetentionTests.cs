using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.DataRights;
using RecoveryStudy.Mail;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>
/// Retention per study: the researchers are warned 14 days before, then the contact details of
/// every participant are erased, months after the last wave closed; on a fixed clock.
/// </summary>
public sealed class ContactRetentionTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task Researchers_are_warned_fourteen_days_before_and_contact_details_are_erased_six_months_after_the_last_wave_closed()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var closed = new DateTime(2027, 1, 10, 23, 0, 0, DateTimeKind.Utc);
        await db.Invitations.Where(i => i.StudyId == world.Study.Id && InvitationStatus.Open.Contains(i.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Expired));
        await db.Invitations.Where(i => i.StudyId == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.OpensAt, closed.AddDays(-30)).SetProperty(i => i.ClosesAt, closed));
        await db.Participants.Where(p => p.StudyId == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScheduleStale, false).SetProperty(p => p.PlanAgainAt, (DateTime?)null));
        await db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ContactRetentionMonths, 6));
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var clock = new FakeTimeProvider(new DateTimeOffset(closed.AddMonths(6).AddDays(-14).AddMinutes(-1), TimeSpan.Zero));
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        int Warnings() => sink.Messages().Count(m => (m.Subject ?? "").Contains(world.Study.Code, StringComparison.Ordinal));

        // A minute before the warning day: nothing.
        Assert.Equal(0, await RunAsync(clock, transport));
        Assert.Equal(0, Warnings());

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await RunAsync(clock, transport));
        var warning = Assert.Single(sink.Messages(), m => (m.Subject ?? "").Contains(world.Study.Code, StringComparison.Ordinal));
        Assert.Contains(researcher.Email, warning.To.Mailboxes.Select(b => b.Address));
        Assert.DoesNotContain(analyst.Email, warning.To.Mailboxes.Select(b => b.Address));
        Assert.Contains("2027-07-10", warning.Subject, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await RunAsync(clock, transport));
        Assert.Equal(1, Warnings());
        Assert.Equal(10, await db.ContactDetails.CountAsync(c => c.StudyId == world.Study.Id));

        // The day it falls due: every contact of this study is erased, once; answers and participants stay.
        clock.SetUtcNow(new DateTimeOffset(closed.AddMonths(6), TimeSpan.Zero));
        Assert.Equal(1, await RunAsync(clock, transport));
        Assert.Equal(0, await db.ContactDetails.CountAsync(c => c.StudyId == world.Study.Id));
        Assert.Equal(10, await db.Participants.CountAsync(p => p.StudyId == world.Study.Id));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "study.contacts_erased" && a.StudyId == world.Study.Id));
        Assert.Equal(0, await RunAsync(clock, transport));
    }

    [Fact]
    public async Task Nothing_is_erased_while_a_wave_is_still_open_or_without_a_retention_setting()
    {
        await using var db = database.CreateContext();
        var open = await ConsoleWorld.CreateAsync(db);
        var unset = await ConsoleWorld.CreateAsync(db);
        await db.Studies.Where(s => s.Id == open.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ContactRetentionMonths, 1));
        await db.Participants.Where(p => p.StudyId == open.Study.Id || p.StudyId == unset.Study.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ScheduleStale, false).SetProperty(p => p.PlanAgainAt, (DateTime?)null));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(5));
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal(0, await RunAsync(clock, transport));
        Assert.Equal(10, await db.ContactDetails.CountAsync(c => c.StudyId == open.Study.Id));
        Assert.Equal(10, await db.ContactDetails.CountAsync(c => c.StudyId == unset.Study.Id));
    }

    private async Task<int> RunAsync(TimeProvider clock, IMailTransport transport)
    {
        await using var db = database.CreateContext();
        return await new ContactRetentionJob(db, transport, clock).RunAsync(CancellationToken.None);
    }
}
