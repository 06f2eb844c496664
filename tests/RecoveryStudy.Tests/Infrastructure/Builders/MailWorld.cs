using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Bounces;
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

    public static async Task<MailWorld> CreateAsync(DatabaseFixture database, SmtpSink sink, int[]? reminders = null, MailOptions? mail = null, DateTimeOffset? start = null,
        BounceOptions? bounces = null, Func<TimeProvider, OAuthTokenProvider>? tokens = null)
    {
        var db = database.CreateContext();
        // The test class shares one database: earlier tests' studies stop sending, so counts are this test's own.
        await db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'closed'");
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync();
        var wave = await builder.WaveAsync(study, "post", "course_end", 0, reminders: reminders ?? [3]);
        var dataSource = database.CreateDataSource();
        var verp = bounces is null ? null : VerpAddresses.From(bounces);
        var clock = new FakeTimeProvider(start ?? DueMoment);
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) },
            verp is null ? null : verp.EnvelopeSenderFor, tokens?.Invoke(clock));
        var jobs = new Jobs(dataSource, clock, transport, mail);
        return new MailWorld(database.ConnectionString, db, dataSource, jobs, study, wave);
    }

    public Task<Participant> ParticipantAsync(string code, string language = "en", string? email = null, string? name = "Anna Nowak",
        string? firstName = "Anna") =>
        new StudyBuilder(Db).ParticipantAsync(Study, code, new DateOnly(2027, 1, 10), new Dictionary<string, DateOnly> { ["course_end"] = new(2027, 3, 1) },
            language: language, email: email ?? $"{code.ToLowerInvariant()}.{Study.Code}@example.org", name: name, firstName: firstName);

    /// <summary>Enrolls <paramref name="count"/> participants due now, in one set-based statement.</summary>
    public async Task EnrollAsync(int count, string prefix)
    {
        await Db.Database.ExecuteSqlRawAsync(
            """
            WITH p AS (
                INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
                SELECT {0}, {1} || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', now(), now(), true
                FROM generate_series(1, {2}) g RETURNING id, code),
            a AS (INSERT INTO participant_anchors (participant_id, name, date) SELECT id, 'course_end', DATE '2027-03-01' FROM p)
            INSERT INTO contact_details (participant_id, study_id, email, updated_at) SELECT id, {0}, lower(code) || '@example.org', now() FROM p
            """, Study.Id, prefix, count);
    }

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
