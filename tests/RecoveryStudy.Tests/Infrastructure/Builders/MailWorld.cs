using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// A study whose wave falls due on Monday 1 March 2027 (09:00 in Warsaw), a fake clock set to
/// that moment, and the jobs sending to the SMTP sink.
/// </summary>
public sealed class MailWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset DueMoment = StudyBuilder.Warsaw(2027, 3, 1, 9, 0);

    private readonly string connectionString;

    private MailWorld(string connectionString, StudyDbContext db, NpgsqlDataSource dataSource, Jobs jobs, Study study, Wave wave)
    {
        this.connectionString = connectionString;
        Db = db;
        DataSource = dataSource;
        Jobs = jobs;
        Study = study;
        Wave = wave;
    }

    public StudyDbContext Db { get; }
    public NpgsqlDataSource DataSource { get; }
    public Jobs Jobs { get; }
    public Study Study { get; }
    public Wave Wave { get; }
    public FakeTimeProvider Clock => Jobs.Clock;

    public static async Task<MailWorld> CreateAsync(DatabaseFixture database, SmtpSink sink, int[]? reminders = null, MailOptions? mail = null, DateTimeOffset? start = null)
    {
        var db = database.CreateContext();
        // The test class shares one database: earlier tests' studies stop sending, so counts are this test's own.
        await db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'closed'");
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        var wave = await builder.WaveAsync(study, "post", "course_end", 0, reminders: reminders ?? [3]);
        var dataSource = database.CreateDataSource();
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        var jobs = new Jobs(dataSource, new FakeTimeProvider(start ?? DueMoment), transport, mail);
        return new MailWorld(database.ConnectionString, db, dataSource, jobs, study, wave);
    }

    public Task<Participant> ParticipantAsync(string code, string language = "en", string? email = null, string? name = "Anna Nowak") =>
        new StudyBuilder(Db).ParticipantAsync(Study, code, new DateOnly(2027, 1, 10), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) },
            language: language, email: email ?? $"{code.ToLowerInvariant()}.{Study.Code}@example.org", name: name);

    public async Task<List<Message>> MessagesAsync()
    {
        await using var db = DatabaseSetup.CreateContext(connectionString);
        return await db.Messages.Where(m => db.Invitations.Any(i => i.Id == m.InvitationId && i.StudyId == Study.Id)).OrderBy(m => m.Id).AsNoTracking().ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
