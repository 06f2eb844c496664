using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Faults;

/// <summary>
/// A study on the real clock for node processes: sending allowed at any hour and day, a wave
/// whose window opened yesterday, and participants enrolled in one statement, not yet planned
/// (the nodes' plan job plans them). Reads what the database and the sink hold about it.
/// </summary>
public sealed class FaultStudy : IAsyncDisposable
{
    private FaultStudy(string connectionString, NpgsqlDataSource dataSource, Study study, Wave wave)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Study = study;
        Wave = wave;
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public Study Study { get; }
    public Wave Wave { get; }

    public static async Task<FaultStudy> CreateAsync(string connectionString, int[]? reminders = null)
    {
        await using var db = DatabaseSetup.CreateContext(connectionString);
        await db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'closed'");
        var builder = new StudyBuilder(db);
        var study = await builder.StudyAsync(s =>
        {
            s.SendHoursStart = TimeOnly.MinValue;
            s.SendHoursEnd = new TimeOnly(23, 59, 59, 999, 999);
            s.SendDays = [1, 2, 3, 4, 5, 6, 7];
        });
        var wave = await builder.WaveAsync(study, "post", "course_end", 0, reminders: reminders ?? [3]);
        return new FaultStudy(connectionString, DatabaseSetup.CreateDataSource(connectionString), study, wave);
    }

    /// <summary>The same study created by importing a protocol file (so that a later version can be imported over it).</summary>
    public static async Task<FaultStudy> ImportAsync(string connectionString, string protocolJson)
    {
        await using var db = DatabaseSetup.CreateContext(connectionString);
        await db.Database.ExecuteSqlRawAsync("UPDATE studies SET status = 'closed'");
        var result = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(protocolJson, Actor.Cli, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => $"{p.Path}: {p.Message}")));
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == result.StudyId);
        var wave = await db.Waves.AsNoTracking().SingleAsync(w => w.StudyId == study.Id);
        return new FaultStudy(connectionString, DatabaseSetup.CreateDataSource(connectionString), study, wave);
    }

    /// <summary>Enrolls <paramref name="count"/> participants whose wave is due now, in one statement.</summary>
    public async Task EnrollAsync(int count, string prefix = "F-")
    {
        await ExecuteAsync(
            """
            WITH p AS (
                INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
                SELECT @study, @prefix || g, 'trainee', 'en', 'Europe/Warsaw', 'active', current_date - 30, now(), now(), true
                FROM generate_series(1, @count) g RETURNING id, code),
            a AS (INSERT INTO participant_anchors (participant_id, name, date) SELECT id, 'course_end', current_date - 1 FROM p)
            INSERT INTO contact_details (participant_id, study_id, email, updated_at) SELECT id, @study, lower(code) || '@example.org', now() FROM p
            """, ("prefix", prefix), ("count", count));
    }

    /// <summary>Runs a statement with @study bound to this study and the given parameters.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<int> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private NpgsqlCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("study", Study.Id);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    /// <summary>Messages of this study by status.</summary>
    public async Task<Dictionary<string, int>> StatusesAsync()
    {
        await using var command = Command(
            "SELECT m.status, count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study GROUP BY m.status", []);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            statuses[reader.GetString(0)] = reader.GetInt32(1);
        }
        return statuses;
    }

    public Task<int> InvitationsAsync() => CountAsync("SELECT count(*)::int FROM invitations WHERE study_id = @study");

    public Task<int> InvitationEmailsSentAsync() => CountAsync(
        "SELECT count(*)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study AND m.kind = 'invitation' AND m.status = 'sent'");

    public Task<int> UnknownOutcomesAsync() => CountAsync(
        "SELECT coalesce(sum(m.unknown_outcomes), 0)::int FROM messages m JOIN invitations i ON i.id = m.invitation_id WHERE i.study_id = @study");

    /// <summary>What the sink received for this study: per Message-ID and per recipient.</summary>
    public static SinkCounts Received(SmtpSink sink) => SinkCounts.Of(sink);

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}

/// <summary>Emails at the sink, counted by Message-ID and by recipient.</summary>
public sealed record SinkCounts(int Emails, IReadOnlyDictionary<string, int> ByMessageId, IReadOnlyDictionary<string, int> ByRecipient)
{
    /// <summary>Emails that arrived more than once (same Message-ID).</summary>
    public int Duplicates => ByMessageId.Values.Sum(n => n - 1);

    /// <summary>Recipients who got more than one email.</summary>
    public int RecipientsEmailedTwice => ByRecipient.Values.Count(n => n > 1);

    public static SinkCounts Of(SmtpSink sink)
    {
        var messages = sink.Messages();
        return new SinkCounts(
            messages.Count,
            messages.GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count()),
            messages.GroupBy(m => string.Join(",", m.To.Mailboxes.Select(a => a.Address))).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>Message ids (outbox row ids) read back from the Message-ID header.</summary>
    public IEnumerable<long> OutboxIds() =>
        ByMessageId.Keys.Where(k => k.StartsWith("rs.", StringComparison.Ordinal))
            .Select(k => long.Parse(k[3..k.IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture));

    public static string MessageIdOf(long outboxId) => EmailComposer.MessageIdFor(outboxId, "example.org");
}
