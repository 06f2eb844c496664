using Dapper;
using Npgsql;

namespace RecoveryStudy.Bench;

/// <summary>
/// Seeds, set-based, one study with three waves that each ask one 60-item rating instrument (1-5),
/// and N participants who completed every wave and answered every item: N x 3 x 60 answer rows.
/// </summary>
internal static class ExportSeed
{
    public const string StudyCode = "bench";
    public const int Items = 60;

    public static async Task RunAsync(NpgsqlDataSource dataSource, int participants)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            SET synchronous_commit = off;
            INSERT INTO studies (code, title, time_zone, languages, default_language, sender_name, sender_email, status, send_time, send_hours_start,
                                 send_hours_end, send_days, max_emails_per_participant_per_day, created_at)
            VALUES ('bench', '{"en":"Bench study"}', 'Europe/Warsaw', '{en}', 'en', 'Study team', 'study@example.org', 'active', '09:00', '08:00', '20:00',
                    '{1,2,3,4,5}', 1, now());
            INSERT INTO waves (study_id, code, position, title, intro, anchor, offset_value, offset_unit, window_opens_days, window_closes_days, roles,
                               reminder_days, last_chance_days_before, estimated_minutes, emails, status)
            SELECT s.id, w.code, w.position, '{"en":"Wave"}', '{}', 'course_end', w.offset_value, w.unit, 0, 14, '{}', '{3,7}', 2, 10,
                   '{"invitation":{"subject":{"en":"{wave_title}"},"body":{"en":"{link}"}},"reminders":[],"lastChance":null}', 'active'
            FROM studies s, (VALUES ('baseline', 0, 0, 'days'), ('post', 1, 6, 'months'), ('follow_up', 2, 16, 'months')) AS w(code, position, offset_value, unit)
            WHERE s.code = 'bench';
            INSERT INTO instruments (study_id, code) SELECT id, 'scale' FROM studies WHERE code = 'bench';
            INSERT INTO instrument_versions (instrument_id, version, title, intro, content_hash, created_at)
            SELECT id, 1, '{"en":"Sixty statements"}', '{}', repeat('0', 64), now() FROM instruments WHERE code = 'scale';
            INSERT INTO items (instrument_version_id, code, type, label, help, position, required, min, max)
            SELECT v.id, 'q' || lpad(g::text, 2, '0'), 'rating', jsonb_build_object('en', 'Statement ' || g), '{}', g, false, 1, 5
            FROM instrument_versions v, generate_series(1, @items) g;
            INSERT INTO item_options (item_id, code, position, label)
            SELECT i.id, o.code, o.code, jsonb_build_object('en', o.label)
            FROM items i, (VALUES (1, 'Strongly disagree'), (2, 'Disagree'), (3, 'Neither'), (4, 'Agree'), (5, 'Strongly agree')) AS o(code, label);
            INSERT INTO wave_instruments (wave_id, instrument_id, position) SELECT w.id, i.id, 1 FROM waves w, instruments i;
            INSERT INTO participants (study_id, code, role, language, time_zone, status, enrolled_on, created_at, updated_at, schedule_stale)
            SELECT (SELECT id FROM studies WHERE code = 'bench'), 'P-' || lpad(g::text, 6, '0'), 'trainee', 'en', 'Europe/Warsaw', 'active',
                   DATE '2027-01-10', now(), now(), false
            FROM generate_series(1, @participants) g;
            INSERT INTO invitations (study_id, participant_id, wave_id, status, due_date, opens_at, closes_at, planned_at, sent_at, completed_at)
            SELECT p.study_id, p.id, w.id, 'completed', DATE '2027-03-01' + w.position * 180, TIMESTAMPTZ '2027-03-01 08:00Z' + w.position * interval '180 days',
                   TIMESTAMPTZ '2027-03-15 08:00Z' + w.position * interval '180 days', now(), TIMESTAMPTZ '2027-03-01 08:00Z' + w.position * interval '180 days',
                   TIMESTAMPTZ '2027-03-02 08:00Z' + w.position * interval '180 days' + (p.id % 600) * interval '1 minute'
            FROM participants p, waves w;
            INSERT INTO responses (invitation_id, instrument_version_id, status, source, started_at, updated_at, completed_at)
            SELECT i.id, v.id, 'complete', 'web', i.completed_at - interval '10 minutes', i.completed_at, i.completed_at
            FROM invitations i, instrument_versions v;
            """, new { items = Items, participants }, commandTimeout: 0);
        // The big one alone: 60 answers per response, values spread over the scale.
        await connection.ExecuteAsync(
            """
            SET synchronous_commit = off;
            INSERT INTO answers (response_id, item_id, numeric_value, answered_at)
            SELECT r.id, i.id, 1 + (r.id * 7 + i.position * 13) % 5, r.completed_at
            FROM responses r, items i;
            """, commandTimeout: 0);
        await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 0);
    }
}
