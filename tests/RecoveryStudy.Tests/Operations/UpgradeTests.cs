using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Operations;

/// <summary>
/// A database made by the oldest supported release (<see cref="SupportedUpgrades.OldestMigration"/>)
/// upgraded to the newest: its study, answers and links survive and the app reads them. The data is
/// written in that schema's own SQL, not through today's model, so the test keeps describing the old
/// release however the model changes.
/// </summary>
public sealed class UpgradeTests : IAsyncLifetime
{
    private const string Token = "upgrade-test-link-token-0000000000000000000";
    private string database = "";

    // The schema of 20261123094543_SchedulingOutboxAndReplan: one study, one wave, one instrument of
    // three items, two participants (one answered, one invited), a live survey link.
    private static readonly string OldReleaseData = """
        INSERT INTO studies (id, code, title, time_zone, languages, default_language, sender_name, sender_email, contact_email, status,
            send_time, send_hours_start, send_hours_end, send_days, max_emails_per_participant_per_day, created_at, anchors, roles)
        VALUES (1, 'legacy', '{"en": "Legacy study"}', 'Europe/Warsaw', '{en}', 'en', 'Study team', 'study@example.org', 'team@example.org', 'active',
            '09:00', '08:00', '20:00', '{1,2,3,4,5}', 2, '2026-11-01T09:00:00Z', '[]', '[]');
        INSERT INTO waves (id, study_id, code, position, title, intro, anchor, offset_value, offset_unit, window_opens_days, window_closes_days,
            roles, reminder_days, estimated_minutes, emails, status)
        VALUES (1, 1, 'baseline', 1, '{"en": "Baseline"}', '{}', 'course_end', 0, 'days', 0, 14, '{trainee}', '{3}', 5,
            '{"invitation": {"subject": {"en": "Baseline"}, "body": {"en": "{salutation}, {link}"}}, "reminders": []}', 'active');
        INSERT INTO instruments (id, study_id, code) VALUES (1, 1, 'wellbeing');
        INSERT INTO instrument_versions (id, instrument_id, version, title, intro, content_hash, created_at)
        VALUES (1, 1, 1, '{"en": "Wellbeing"}', '{}', 'legacy-hash', '2026-11-01T09:00:00Z');
        INSERT INTO items (id, instrument_version_id, code, position, type, label, help, required, min, max) VALUES
            (1, 1, 'calm', 1, 'rating', '{"en": "I felt calm"}', '{}', true, 0, 5),
            (2, 1, 'mood', 2, 'single_choice', '{"en": "Mood today"}', '{}', false, NULL, NULL),
            (3, 1, 'comment', 3, 'short_text', '{"en": "Anything else?"}', '{}', false, NULL, NULL);
        INSERT INTO item_options (id, item_id, code, position, label) VALUES
            (1, 2, 1, 1, '{"en": "Bad"}'), (2, 2, 2, 2, '{"en": "Good"}');
        INSERT INTO wave_instruments (wave_id, instrument_id, position) VALUES (1, 1, 1);
        INSERT INTO participants (id, study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale) VALUES
            (1, 1, 'L-001', 'trainee', 'en', 'Europe/Warsaw', 'active', '2026-11-01', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z', false),
            (2, 1, 'L-002', 'trainee', 'en', 'Europe/Warsaw', 'active', '2026-11-01', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z', false);
        INSERT INTO participant_anchors (participant_id, name, date) VALUES (1, 'course_end', '2026-11-02'), (2, 'course_end', '2026-11-02');
        INSERT INTO contact_details (participant_id, study_id, email, name, updated_at) VALUES
            (1, 1, 'l001@example.org', 'Lena', '2026-11-01T09:00:00Z'), (2, 1, 'l002@example.org', 'Lars', '2026-11-01T09:00:00Z');
        INSERT INTO invitations (id, study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at, sent_at, completed_at) VALUES
            (1, 1, 1, 1, 'completed', '2026-11-02', '2026-11-02T08:00:00Z', '2026-11-16T08:00:00Z', '2026-11-01T09:00:00Z', '2026-11-02T08:00:00Z', '2026-11-03T10:00:00Z'),
            (2, 1, 2, 1, 'sent', '2026-11-02', '2026-11-02T08:00:00Z', '2026-11-16T08:00:00Z', '2026-11-01T09:00:00Z', '2026-11-02T08:00:00Z', NULL);
        INSERT INTO access_tokens (hash, invitation_id, purpose, created_at) VALUES (sha256(convert_to(@token, 'UTF8')), 2, 'survey', '2026-11-01T09:00:00Z');
        INSERT INTO responses (id, invitation_id, instrument_version_id, status, source, started_at, updated_at, completed_at)
        VALUES (1, 1, 1, 'complete', 'web', '2026-11-03T09:50:00Z', '2026-11-03T10:00:00Z', '2026-11-03T10:00:00Z');
        INSERT INTO answers (id, response_id, item_id, numeric_value, codes, text_value, answered_at) VALUES
            (1, 1, 1, 4, NULL, NULL, '2026-11-03T09:55:00Z'),
            (2, 1, 2, 2, NULL, NULL, '2026-11-03T09:56:00Z'),
            (3, 1, 3, NULL, NULL, 'Fine, thanks', '2026-11-03T09:57:00Z');
        INSERT INTO staff_users (id, email, password_hash, role, disabled, failed_sign_ins, created_at) VALUES
            (1, 'admin@example.org', 'x', 'admin', false, 0, '2026-11-01T09:00:00Z'),
            (2, 'researcher@example.org', 'x', 'researcher', false, 0, '2026-11-01T09:00:00Z'),
            (3, 'analyst@example.org', 'x', 'analyst', false, 0, '2026-11-01T09:00:00Z');
        """;

    private const string AnswersQuery = """
        SELECT string_agg(concat_ws('|', p.code, w.code, i.code, a.numeric_value, a.text_value, a.answered_at), E'\n' ORDER BY a.id)
        FROM answers a JOIN items i ON i.id = a.item_id JOIN responses r ON r.id = a.response_id
        JOIN invitations v ON v.id = r.invitation_id JOIN participants p ON p.id = v.participant_id JOIN waves w ON w.id = v.wave_id
        """;

    public async Task InitializeAsync() => database = await SharedPostgres.CreateEmptyDatabaseAsync();

    public Task DisposeAsync() => SharedPostgres.DropDatabaseAsync(database);

    [Fact]
    public async Task A_database_of_the_oldest_supported_release_upgrades_to_the_newest_with_its_data_intact()
    {
        await using (var db = DatabaseSetup.CreateContext(database))
        {
            await db.GetService<IMigrator>().MigrateAsync(SupportedUpgrades.OldestMigration);
            Assert.Equal(SupportedUpgrades.OldestMigration, (await db.Database.GetAppliedMigrationsAsync()).Last());
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
        }
        await ExecuteAsync(OldReleaseData);
        var answers = await ScalarAsync(AnswersQuery);

        await using (var db = DatabaseSetup.CreateContext(database))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        Assert.Equal(answers, await ScalarAsync(AnswersQuery));
        // Access was global before study membership: the upgrade keeps it, each account a member of every study with its role.
        Assert.Equal("2:1:researcher:whole|3:1:analyst:whole", await ScalarAsync(
            "SELECT string_agg(concat_ws(':', staff_user_id, study_id, role, coalesce(cohort_ids::text, 'whole')), '|' ORDER BY staff_user_id) FROM study_members"));
        await using (var db = DatabaseSetup.CreateContext(database))
        {
            var link = await ParticipantLinks.ResolveAsync(db, Token, TokenPurpose.Survey, CancellationToken.None);
            Assert.Equal(2L, link?.InvitationId);
            var layout = await StudyLayout.LoadAsync(db, "legacy", CancellationToken.None);
            Assert.NotNull(layout);
            var (file, error) = DatasetFile.Create(layout, new ExportRequest(TableKind.Long), DatasetFile.TableContent, parquet: false);
            Assert.True(file is not null, error);
            await using var dataSource = DatabaseSetup.CreateDataSource(database);
            using var stream = new MemoryStream();
            await file.WriteAsync(dataSource, layout, new ParticipantFilter(null, null), stream, null, CancellationToken.None);
            var csv = Csv.Parse(Encoding.UTF8.GetString(stream.ToArray()));
            var lena = csv.Rows.Where(r => csv.Cell(r, "participant") == "L-001").ToDictionary(r => csv.Cell(r, "item"));
            Assert.Equal("4", csv.Cell(lena["calm"], "value"));
            Assert.Equal("Good", csv.Cell(lena["mood"], "value_label"));
            Assert.Equal("Fine, thanks", csv.Cell(lena["comment"], "text"));
            Assert.Contains(csv.Rows, r => csv.Cell(r, "participant") == "L-002");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("token", Token);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
