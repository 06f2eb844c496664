namespace RecoveryStudy.Migrations.Sql;

/// <summary>
/// The invitations trigger of <see cref="ReplanTriggers"/> also fires when an invitation goes
/// out: reminders and the last chance count from the moment it was really sent, so the plan job
/// queues them only then (a pause, an outage or the rate limit can hold an invitation back).
/// Replaced by <see cref="RemindersPlannedBySentAt"/>: the plan job finds sent invitations itself.
/// </summary>
internal static class InvitationSentTrigger
{
    public const string Up = """
        DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR (OLD.status = 'planned' AND NEW.status = 'sent')
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

    public const string Down = """
        DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;
}
