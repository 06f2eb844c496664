using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>
/// The status of one participant in one wave, as the status grid shows it. Completed, started and
/// withdrawn read the invitation as <see cref="Reports.ResponseReport"/> does, so the grid and the
/// dashboard's figures count the same people.
/// </summary>
public static class GridStatus
{
    public const string NotInWave = "not in this wave";
    public const string NotYetDue = "not yet due";
    public const string Invited = "invited";
    public const string Reminded = "reminded";
    public const string Partial = "partial";
    public const string Complete = "complete";
    public const string Missed = "missed";
    public const string Undeliverable = "undeliverable";
    public const string OptedOut = "opted out";
    public const string Withdrawn = "withdrawn";

    /// <summary>The statuses a filter offers, in the order a wave passes through them.</summary>
    public static readonly string[] All = [NotYetDue, Invited, Reminded, Partial, Complete, Missed, Undeliverable, OptedOut, Withdrawn, NotInWave];

    /// <summary>What the grid knows of one invitation (null: the participant has none in the wave).</summary>
    public sealed record InvitationFacts(string Status, bool Sent, bool HasResponse, int Reminders);

    /// <summary>The cell: its status (for filters and colour) and its text ("reminded 2×").</summary>
    public sealed record Cell(string Status, string Text);

    public static Cell Of(bool eligible, string participantStatus, bool optedOut, InvitationFacts? invitation)
    {
        if (invitation?.Status == InvitationStatus.Completed)
        {
            return new Cell(Complete, Complete);
        }
        var wasInvited = invitation is { } i && (i.Sent || i.HasResponse);
        if (invitation?.Status == InvitationStatus.Withdrawn || participantStatus == ParticipantStatus.Withdrawn)
        {
            return new Cell(Withdrawn, Withdrawn);
        }
        if (invitation is null)
        {
            return eligible ? Plain(optedOut ? OptedOut : NotYetDue) : Plain(NotInWave);
        }
        if (invitation.Status is InvitationStatus.Missed or InvitationStatus.Expired)
        {
            return Plain(invitation.HasResponse ? Partial + ", " + Missed : Missed) with { Status = Missed };
        }
        if (optedOut)
        {
            return Plain(OptedOut);
        }
        if (invitation.Status == InvitationStatus.Undeliverable)
        {
            return Plain(Undeliverable);
        }
        if (invitation.HasResponse || invitation.Status == InvitationStatus.InProgress)
        {
            return Plain(Partial);
        }
        if (!wasInvited)
        {
            return Plain(NotYetDue);
        }
        return invitation.Reminders > 0 ? new Cell(Reminded, $"reminded {invitation.Reminders}×") : Plain(Invited);
    }

    /// <summary>The CSS class of a status: "cell-opted-out".</summary>
    public static string CssClass(string status) => "cell-" + status.Replace(' ', '-');

    private static Cell Plain(string status) => new(status, status);
}
