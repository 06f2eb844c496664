using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SchedulingOutboxAndReplan : Migration
    {
        // Triggers mark participants for re-planning when anything their schedule depends on changes.
        private const string UpSql = """
        ALTER TABLE participants ALTER COLUMN schedule_stale SET DEFAULT true;
        UPDATE participants SET schedule_stale = true;

        CREATE FUNCTION rs_mark_participant_row_stale() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.schedule_stale := true;
            RETURN NEW;
        END $$;

        CREATE TRIGGER participants_replan BEFORE UPDATE ON participants FOR EACH ROW
        WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.time_zone IS DISTINCT FROM NEW.time_zone
              OR OLD.enrolled_on IS DISTINCT FROM NEW.enrolled_on OR OLD.cohort_id IS DISTINCT FROM NEW.cohort_id
              OR OLD.status IS DISTINCT FROM NEW.status OR OLD.opted_out_at IS DISTINCT FROM NEW.opted_out_at
              OR OLD.undeliverable_at IS DISTINCT FROM NEW.undeliverable_at)
        EXECUTE FUNCTION rs_mark_participant_row_stale();

        CREATE FUNCTION rs_participant_anchor_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE participants SET schedule_stale = true WHERE id = OLD.participant_id AND NOT schedule_stale;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE participants SET schedule_stale = true WHERE id = NEW.participant_id AND NOT schedule_stale;
            END IF;
            RETURN NULL;
        END $$;

        CREATE TRIGGER participant_anchors_replan AFTER INSERT OR UPDATE OR DELETE ON participant_anchors
        FOR EACH ROW EXECUTE FUNCTION rs_participant_anchor_changed();

        CREATE FUNCTION rs_cohort_anchor_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE participants SET schedule_stale = true WHERE cohort_id = OLD.cohort_id AND NOT schedule_stale;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE participants SET schedule_stale = true WHERE cohort_id = NEW.cohort_id AND NOT schedule_stale;
            END IF;
            RETURN NULL;
        END $$;

        CREATE TRIGGER cohort_anchors_replan AFTER INSERT OR UPDATE OR DELETE ON cohort_anchors
        FOR EACH ROW EXECUTE FUNCTION rs_cohort_anchor_changed();

        CREATE FUNCTION rs_wave_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE participants SET schedule_stale = true WHERE study_id = NEW.study_id AND NOT schedule_stale;
            RETURN NULL;
        END $$;

        CREATE FUNCTION rs_study_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE participants SET schedule_stale = true WHERE study_id = NEW.id AND NOT schedule_stale;
            RETURN NULL;
        END $$;

        CREATE TRIGGER waves_replan_insert AFTER INSERT ON waves
        FOR EACH ROW EXECUTE FUNCTION rs_wave_changed();

        CREATE TRIGGER waves_replan_update AFTER UPDATE ON waves FOR EACH ROW
        WHEN (OLD.anchor IS DISTINCT FROM NEW.anchor OR OLD.offset_value IS DISTINCT FROM NEW.offset_value
              OR OLD.offset_unit IS DISTINCT FROM NEW.offset_unit OR OLD.window_opens_days IS DISTINCT FROM NEW.window_opens_days
              OR OLD.window_closes_days IS DISTINCT FROM NEW.window_closes_days OR OLD.roles IS DISTINCT FROM NEW.roles
              OR OLD.reminder_days IS DISTINCT FROM NEW.reminder_days
              OR OLD.last_chance_days_before IS DISTINCT FROM NEW.last_chance_days_before
              OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION rs_wave_changed();

        CREATE TRIGGER studies_replan AFTER UPDATE ON studies FOR EACH ROW
        WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone OR OLD.send_time IS DISTINCT FROM NEW.send_time
              OR OLD.send_hours_start IS DISTINCT FROM NEW.send_hours_start OR OLD.send_hours_end IS DISTINCT FROM NEW.send_hours_end
              OR OLD.send_days IS DISTINCT FROM NEW.send_days
              OR OLD.max_emails_per_participant_per_day IS DISTINCT FROM NEW.max_emails_per_participant_per_day
              OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION rs_study_changed();

        CREATE FUNCTION rs_invitation_closed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE participants SET schedule_stale = true WHERE id = NEW.participant_id AND NOT schedule_stale;
            RETURN NULL;
        END $$;

        -- Completion, withdrawal, undeliverability or "no more reminders": the next plan tick
        -- cancels what was queued. (Expiry cancels its own messages in the same statement.)
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

        private const string DownSql = """
        DROP TRIGGER IF EXISTS invitations_replan ON invitations;
        DROP TRIGGER IF EXISTS studies_replan ON studies;
        DROP TRIGGER IF EXISTS waves_replan_update ON waves;
        DROP TRIGGER IF EXISTS waves_replan_insert ON waves;
        DROP TRIGGER IF EXISTS cohort_anchors_replan ON cohort_anchors;
        DROP TRIGGER IF EXISTS participant_anchors_replan ON participant_anchors;
        DROP TRIGGER IF EXISTS participants_replan ON participants;
        DROP FUNCTION IF EXISTS rs_invitation_closed();
        DROP FUNCTION IF EXISTS rs_study_changed();
        DROP FUNCTION IF EXISTS rs_wave_changed();
        DROP FUNCTION IF EXISTS rs_cohort_anchor_changed();
        DROP FUNCTION IF EXISTS rs_participant_anchor_changed();
        DROP FUNCTION IF EXISTS rs_mark_participant_row_stale();
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "schedule_stale",
                table: "participants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "failed_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mail_relays",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    next_free_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    unreachable_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_connected_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_relays", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_participant_schedule_stale",
                table: "participants",
                column: "id",
                filter: "schedule_stale");

            migrationBuilder.CreateIndex(
                name: "ix_message_failed_at",
                table: "messages",
                column: "failed_at",
                filter: "status = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_message_sending_claimed_until",
                table: "messages",
                column: "claimed_until",
                filter: "status = 'sending'");

            migrationBuilder.Sql(UpSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DownSql);

            migrationBuilder.DropTable(
                name: "mail_relays");

            migrationBuilder.DropIndex(
                name: "ix_participant_schedule_stale",
                table: "participants");

            migrationBuilder.DropIndex(
                name: "ix_message_failed_at",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_message_sending_claimed_until",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "schedule_stale",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "failed_at",
                table: "messages");
        }
    }
}
