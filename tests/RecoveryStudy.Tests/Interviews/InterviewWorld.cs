using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Participants;
using RecoveryStudy.Studies;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>
/// A study in Warsaw with a questionnaire wave on course_end and an interview wave 12 calendar months
/// later (window 14 days before to 28 days after), for trainees only; the clock on Monday 1 March 2027, 09:00.
/// </summary>
public sealed class InterviewWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = StudyBuilder.Warsaw(2027, 3, 1, 9, 0);

    private InterviewWorld(StudyDbContext db, NpgsqlDataSource dataSource, Jobs jobs, Study study, Wave post, Wave interview)
    {
        Db = db;
        DataSource = dataSource;
        Jobs = jobs;
        Study = study;
        Post = post;
        Interview = interview;
    }

    public StudyDbContext Db { get; }
    public NpgsqlDataSource DataSource { get; }
    public Jobs Jobs { get; }
    public Study Study { get; }
    public Wave Post { get; }
    public Wave Interview { get; }
    public FakeTimeProvider Clock => Jobs.Clock;

    public static async Task<InterviewWorld> CreateAsync(DatabaseFixture database, DateTimeOffset? start = null)
    {
        var db = database.CreateContext();
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        var post = await builder.WaveAsync(study, "post", "course_end", 0, reminders: [3], position: 1);
        var interview = await builder.WaveAsync(study, "int12", "course_end", 12, OffsetUnit.Months, opens: -14, closes: 28, roles: ["trainee"], position: 2);
        interview.Kind = WaveKind.Interview;
        interview.Emails = new WaveEmailTexts();
        interview.InterviewerReminderDaysBefore = 7;
        await db.SaveChangesAsync();
        var dataSource = database.CreateDataSource();
        return new InterviewWorld(db, dataSource, new Jobs(dataSource, new FakeTimeProvider(start ?? Start)), study, post, interview);
    }

    public Task<Participant> ParticipantAsync(string code, DateOnly courseEnd, string role = "trainee", DateOnly? enrolledOn = null) =>
        new StudyBuilder(Db).ParticipantAsync(Study, code, enrolledOn ?? new DateOnly(2027, 1, 10),
            new Dictionary<string, DateOnly> { ["course_end"] = courseEnd }, role: role);

    public async Task<List<InterviewTask>> TasksAsync()
    {
        Db.ChangeTracker.Clear();
        return await Db.InterviewTasks.AsNoTracking().Where(t => t.StudyId == Study.Id).OrderBy(t => t.ParticipantId).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
