using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Scheduling;

public sealed class PreviewAndPauseTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Preview_lists_every_email_with_local_and_utc_times_and_the_missed_with_reasons_and_writes_nothing()
    {
        await using var db = database.CreateContext();
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        await builder.WaveAsync(study, "post", "course_end", 0, reminders: [3], lastChance: 1);
        await builder.ParticipantAsync(study, "P-1", new DateOnly(2027, 1, 10), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) });
        await builder.ParticipantAsync(study, "P-2", new DateOnly(2027, 4, 1), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) });
        await using var dataSource = database.CreateDataSource();

        var now = NodaTime.Instant.FromUtc(2027, 2, 1, 10, 0);
        var rows = (await SchedulePreview.RunAsync(dataSource, study.Code, null, null, null, now, CancellationToken.None))!;
        var emails = rows.Where(r => r.Participant == "P-1").ToList();
        Assert.Equal(["invitation", "reminder", "last_chance"], emails.Select(r => r.What));
        Assert.Equal(new DateTime(2027, 3, 1, 8, 0, 0, DateTimeKind.Utc), emails[0].AtUtc);
        Assert.Equal("2027-03-01 09:00 (Mon)", emails[0].AtLocal);
        Assert.Equal("Europe/Warsaw", emails[0].TimeZone);
        var missed = Assert.Single(rows, r => r.Participant == "P-2");
        Assert.Equal("missed", missed.What);
        Assert.Equal("enrolled after the window closed", missed.Reason);

        var only = (await SchedulePreview.RunAsync(dataSource, study.Code, "P-1", new DateOnly(2027, 3, 2), new DateOnly(2027, 3, 31), now, CancellationToken.None))!;
        Assert.Equal(["reminder", "last_chance"], only.Select(r => r.What));
        Assert.Empty(await db.Invitations.Where(i => i.StudyId == study.Id).ToListAsync());
        Assert.Null(await SchedulePreview.RunAsync(dataSource, "nope", null, null, null, now, CancellationToken.None));
    }

    [Fact]
    public async Task Pause_and_resume_set_the_status_of_a_study_or_a_wave_and_are_audited()
    {
        await using var db = database.CreateContext();
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        var wave = await builder.WaveAsync(study, "post", "course_end", 0);
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));

        Assert.Null(await Pausing.SetAsync(db, clock, Actor.Cli, study.Code, null, pause: true, CancellationToken.None));
        Assert.Equal(StudyStatus.Paused, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id)).Status);
        Assert.Null(await Pausing.SetAsync(db, clock, Actor.Cli, study.Code, "post", pause: true, CancellationToken.None));
        Assert.Equal(WaveStatus.Paused, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == wave.Id)).Status);
        Assert.Null(await Pausing.SetAsync(db, clock, Actor.Cli, study.Code, null, pause: false, CancellationToken.None));
        Assert.Null(await Pausing.SetAsync(db, clock, Actor.Cli, study.Code, "post", pause: false, CancellationToken.None));
        Assert.Equal(StudyStatus.Active, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == study.Id)).Status);
        Assert.Equal(WaveStatus.Active, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == wave.Id)).Status);
        Assert.Equal(["study.pause", "wave.pause", "study.resume", "wave.resume"],
            await db.AuditEntries.Where(a => a.StudyId == study.Id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.NotNull(await Pausing.SetAsync(db, clock, Actor.Cli, study.Code, "nope", pause: true, CancellationToken.None));
    }
}
