using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Bench;

/// <summary>
/// What a busy production morning adds to the participants' requests, in the same database and on
/// the same cores: a dispatch of N invitation emails to the SMTP sink (the real dispatcher, no rate
/// limit, as the hosted job runs it) and a wide export across waves of a large study (the real export
/// code streaming CSV into a file, as the CLI or the console download runs it).
/// </summary>
internal sealed class BackgroundWork
{
    private BackgroundWork(Task<(int Sent, double Seconds)> dispatch, Task<(int Participants, double Seconds)> export)
    {
        Dispatch = dispatch;
        Export = export;
    }

    public Task<(int Sent, double Seconds)> Dispatch { get; }
    public Task<(int Participants, double Seconds)> Export { get; }

    /// <summary>The export's study (<see cref="ExportSeed"/>) and <paramref name="emails"/> planned invitations due now, seeded before the clock starts.</summary>
    public static async Task SeedAsync(string connectionString, int exportParticipants, int emails)
    {
        await using var dataSource = DatabaseSetup.CreateDataSource(connectionString);
        await ExportSeed.RunAsync(dataSource, exportParticipants);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO studies (code, title, time_zone, languages, default_language, sender_name, sender_email, status, send_time, send_hours_start,
                                     send_hours_end, send_days, max_emails_per_participant_per_day, created_at)
                VALUES ('due', '{"en":"Due study"}', 'Europe/Warsaw', '{en}', 'en', 'Study team', 'study@example.org', 'active', '09:00', '08:00', '20:00',
                        '{1,2,3,4,5}', 1, now());
                INSERT INTO waves (study_id, code, position, title, intro, anchor, offset_value, offset_unit, window_opens_days, window_closes_days, roles,
                                   reminder_days, last_chance_days_before, estimated_minutes, emails, status)
                SELECT s.id, 'baseline', 0, '{"en":"Wave"}', '{}', 'course_end', 0, 'days', 0, 14, '{}', '{}', 2, 10,
                       '{"invitation":{"subject":{"en":"{wave_title}"},"body":{"en":"{salutation},\n\nPlease answer: {link}"}},"reminders":[],"lastChance":null}', 'active'
                FROM studies s WHERE s.code = 'due';
                WITH p AS (
                    INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
                    SELECT (SELECT id FROM studies WHERE code = 'due'), 'D-' || g, 'trainee', 'en', 'Europe/Warsaw', 'active', DATE '2027-01-10', now(), now(), true
                    FROM generate_series(1, @emails) g RETURNING id, code),
                a AS (INSERT INTO participant_anchors (participant_id, name, date) SELECT id, 'course_end', DATE '2027-03-01' FROM p)
                INSERT INTO contact_details (participant_id, study_id, email, name, updated_at)
                SELECT id, (SELECT id FROM studies WHERE code = 'due'), lower(code) || '@example.org', 'Participant ' || code, now() FROM p;
                ANALYZE;
                """, new { emails }, commandTimeout: 0);
        }
        var plan = new PlanJob(dataSource, DueClock.Instance, NullLogger<PlanJob>.Instance);
        while (await plan.RunAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>Starts both; each runs to its end on its own connections.</summary>
    public static BackgroundWork Start(string connectionString, int smtpPort, string exportFile) =>
        new(Task.Run(() => DispatchAsync(connectionString, smtpPort)), Task.Run(() => ExportAsync(connectionString, exportFile)));

    private static async Task<(int, double)> DispatchAsync(string connectionString, int smtpPort)
    {
        await using var dataSource = DatabaseSetup.CreateDataSource(connectionString);
        var settings = new SmtpSettings { Host = "127.0.0.1", Port = smtpPort, Security = "None" };
        var dispatcher = new Dispatcher(dataSource, new SmtpMailTransport(settings),
            Options.Create(new MailOptions { Transport = MailOptions.SmtpTransport, Smtp = settings, RatePerMinute = 0 }),
            Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), DueClock.Instance, NullLogger<Dispatcher>.Instance);
        var watch = Stopwatch.StartNew();
        var sent = 0;
        DispatchResult result;
        do
        {
            result = await dispatcher.DispatchBatchAsync(CancellationToken.None);
            sent += result.Sent;
        }
        while (result.Due > 0);
        return (sent, watch.Elapsed.TotalSeconds);
    }

    private static async Task<(int, double)> ExportAsync(string connectionString, string exportFile)
    {
        var watch = Stopwatch.StartNew();
        await using var dataSource = DatabaseSetup.CreateDataSource(connectionString);
        await using var db = DatabaseSetup.CreateContext(connectionString);
        var layout = await StudyLayout.LoadAsync(db, ExportSeed.StudyCode, CancellationToken.None)
            ?? throw new InvalidOperationException("no export study");
        var request = new ExportRequest(TableKind.WideAcross);
        var (table, error) = DatasetExport.CreateTable(layout, request);
        if (table is null)
        {
            throw new InvalidOperationException(error);
        }
        await using var stream = File.Create(exportFile);
        await using var writer = new CsvTableWriter(stream);
        var done = await DatasetExport.WriteAsync(dataSource, layout, table, request.Filter, writer, null, CancellationToken.None);
        return (done.Participants, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Real time moved to Monday 1 March 2027 09:00 in Warsaw, when the seeded wave is due and
    /// sending is allowed; the web host keeps the real clock (the participants' invitations are open now).
    /// </summary>
    private sealed class DueClock(TimeSpan offset) : TimeProvider
    {
        public static readonly DueClock Instance = new(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
