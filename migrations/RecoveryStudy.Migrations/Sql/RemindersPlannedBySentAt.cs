namespace RecoveryStudy.Migrations.Sql;

/// <summary>
/// Reminders and the last chance are still queued once their invitation went out, but the plan
/// job now finds such invitations itself (<c>sent_at</c> set, <c>reminders_planned_at</c> not
/// yet, a small partial index) instead of the invitations trigger marking the participant on
/// every send (<see cref="InvitationSentTrigger"/>): that participant update, with its index
/// entries, was a third of the database's work per invitation email (bench/README.md).
/// Invitations already sent count as planned: their participants were marked when they went out.
/// </summary>
internal static class RemindersPlannedBySentAt
{
    public const string Up = """
        UPDATE invitations SET reminders_planned_at = sent_at WHERE sent_at IS NOT NULL;
        """ + InvitationSentTrigger.Down;

    public const string Down = InvitationSentTrigger.Up;
}
