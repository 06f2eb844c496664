namespace RecoveryStudy.Migrations.Sql;

/// <summary>
/// Triggers that mark participants as needing (re-)planning whenever something their schedule
/// depends on changes: their own anchors, role, time zone or status; their cohort's anchors;
/// a wave of the study (a new protocol version); the study's sending rules or status; an
/// invitation that closed. Whoever makes the change (protocol import, enrollment, console,
/// participant pages, raw SQL) cannot forget to re-plan, and the plan tick reads only the
/// participants marked, so its cost follows the changes rather than the size of the study.
/// </summary>
internal static class ReplanTriggers
{
    public const string Up = """
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

    public const string Down = """
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
}
