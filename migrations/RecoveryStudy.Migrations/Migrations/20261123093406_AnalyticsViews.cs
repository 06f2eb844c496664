using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <summary>
    /// The analytics schema: views for analysts' direct queries, and the role analyst_ro that may
    /// read them and nothing else. The views run with their owner's rights, so analyst_ro needs no
    /// grant on any base table: contact details, tokens and staff accounts stay out of its reach.
    /// Later changes to these views belong in a new migration; this text stays as it shipped.
    /// </summary>
    public partial class AnalyticsViews : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE SCHEMA analytics;");

            migrationBuilder.Sql("""
                CREATE VIEW analytics.participants AS
                SELECT p.id AS participant_id, s.code AS study, c.code AS cohort, p.code AS participant, p.role,
                       p.language, p.status, p.enrolled_on, p.withdrawn_at,
                       p.opted_out_at IS NOT NULL AS opted_out, p.undeliverable_at IS NOT NULL AS undeliverable
                FROM participants p
                JOIN studies s ON s.id = p.study_id
                LEFT JOIN cohorts c ON c.id = p.cohort_id;
                """);

            migrationBuilder.Sql("""
                CREATE VIEW analytics.invitations AS
                SELECT i.id AS invitation_id, s.code AS study, c.code AS cohort, p.code AS participant, p.role,
                       w.code AS wave, w.position AS wave_position, i.status, i.due_date, i.opens_at, i.closes_at,
                       i.sent_at, i.first_opened_at, i.completed_at, i.expired_at, i.reminders_stopped_at,
                       (SELECT count(*) FROM messages m WHERE m.invitation_id = i.id AND m.kind <> 'invitation' AND m.status = 'sent') AS reminders_sent
                FROM invitations i
                JOIN participants p ON p.id = i.participant_id
                JOIN studies s ON s.id = i.study_id
                JOIN waves w ON w.id = i.wave_id
                LEFT JOIN cohorts c ON c.id = p.cohort_id;
                """);

            migrationBuilder.Sql("""
                CREATE VIEW analytics.items AS
                SELECT s.code AS study, ins.code AS instrument, iv.version AS instrument_version, it.code AS item,
                       it.position, it.type, it.label ->> s.default_language AS label, it.required, it.min, it.max,
                       it.show_if_item_code, it.show_if_codes,
                       (SELECT jsonb_agg(jsonb_build_object('code', o.code, 'label', o.label ->> s.default_language) ORDER BY o.position, o.code)
                        FROM item_options o WHERE o.item_id = it.id) AS options
                FROM items it
                JOIN instrument_versions iv ON iv.id = it.instrument_version_id
                JOIN instruments ins ON ins.id = iv.instrument_id
                JOIN studies s ON s.id = ins.study_id;
                """);

            migrationBuilder.Sql("""
                CREATE VIEW analytics.answers AS
                SELECT s.code AS study, c.code AS cohort, p.code AS participant, p.role, w.code AS wave,
                       ins.code AS instrument, iv.version AS instrument_version, it.code AS item, it.type AS item_type,
                       a.numeric_value, a.codes, a.date_value, a.text_value,
                       (SELECT string_agg(o.label ->> s.default_language, '; ' ORDER BY o.position, o.code)
                        FROM item_options o
                        WHERE o.item_id = it.id AND (o.code = ANY(a.codes) OR o.code = a.numeric_value)) AS value_label,
                       r.status AS response_status, r.source, a.answered_at
                FROM answers a
                JOIN responses r ON r.id = a.response_id
                JOIN invitations i ON i.id = r.invitation_id
                JOIN participants p ON p.id = i.participant_id
                JOIN studies s ON s.id = i.study_id
                JOIN waves w ON w.id = i.wave_id
                JOIN items it ON it.id = a.item_id
                JOIN instrument_versions iv ON iv.id = r.instrument_version_id
                JOIN instruments ins ON ins.id = iv.instrument_id
                LEFT JOIN cohorts c ON c.id = p.cohort_id;
                """);

            // Same rules as the exports (RecoveryStudy.Exports.Scoring): reverse = scale min + max - value,
            // a prorated sum when some items are missing, the multiplier, rounded to 6 decimals.
            migrationBuilder.Sql("""
                CREATE VIEW analytics.scores AS
                WITH item_values AS (
                    SELECT r.id AS response_id, sc.id AS score_id,
                           CASE WHEN it.code = ANY(sc.reverse_item_codes)
                                THEN coalesce(it.min, o.min_code) + coalesce(it.max, o.max_code) - v.value
                                ELSE v.value END AS value
                    FROM responses r
                    JOIN scores sc ON sc.instrument_version_id = r.instrument_version_id
                    JOIN items it ON it.instrument_version_id = r.instrument_version_id AND it.code = ANY(sc.item_codes)
                    JOIN answers a ON a.response_id = r.id AND a.item_id = it.id
                    CROSS JOIN LATERAL (SELECT coalesce(a.numeric_value, CASE WHEN cardinality(a.codes) = 1 THEN a.codes[1] END) AS value) v
                    LEFT JOIN LATERAL (SELECT min(code) AS min_code, max(code) AS max_code FROM item_options WHERE item_id = it.id) o ON true
                    WHERE v.value IS NOT NULL
                ),
                totals AS (
                    SELECT response_id, score_id, count(*) AS answered, sum(value) AS total
                    FROM item_values GROUP BY response_id, score_id
                )
                SELECT s.code AS study, c.code AS cohort, p.code AS participant, p.role, w.code AS wave,
                       ins.code AS instrument, iv.version AS instrument_version, sc.code AS score, sc.method,
                       coalesce(t.answered, 0) AS answered_items, cardinality(sc.item_codes) AS items,
                       CASE WHEN coalesce(t.answered, 0) >= greatest(1, sc.min_answered) AND cardinality(sc.item_codes) > 0 THEN
                           round((CASE WHEN sc.method = 'mean' THEN t.total / t.answered
                                       WHEN t.answered = cardinality(sc.item_codes) THEN t.total
                                       ELSE t.total * cardinality(sc.item_codes) / t.answered END) * sc.multiplier, 6)
                       END AS value,
                       r.status AS response_status, r.source
                FROM responses r
                JOIN scores sc ON sc.instrument_version_id = r.instrument_version_id
                LEFT JOIN totals t ON t.response_id = r.id AND t.score_id = sc.id
                JOIN invitations i ON i.id = r.invitation_id
                JOIN participants p ON p.id = i.participant_id
                JOIN studies s ON s.id = i.study_id
                JOIN waves w ON w.id = i.wave_id
                JOIN instrument_versions iv ON iv.id = r.instrument_version_id
                JOIN instruments ins ON ins.id = iv.instrument_id
                LEFT JOIN cohorts c ON c.id = p.cohort_id;
                """);

            // Roles belong to the whole server, so several databases may share this one: create it only once.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst_ro') THEN
                        CREATE ROLE analyst_ro NOLOGIN;
                    END IF;
                END
                $$;
                GRANT USAGE ON SCHEMA analytics TO analyst_ro;
                GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO analyst_ro;
                ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO analyst_ro;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The role stays: other databases on the same server may still grant it their views.
            migrationBuilder.Sql("""
                ALTER DEFAULT PRIVILEGES IN SCHEMA analytics REVOKE SELECT ON TABLES FROM analyst_ro;
                DROP SCHEMA analytics CASCADE;
                """);
        }
    }
}
