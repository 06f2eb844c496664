using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Web.Pages.Unsubscribe;

/// <summary>
/// /unsubscribe: stop this wave's reminders, stop all email, or withdraw from the study. One
/// choice, then a confirmation page; the change takes effect when confirmed (a POST).
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public const string StopReminders = "reminders";
    public const string StopAll = "all";
    public const string Withdraw = "withdraw";

    public enum Steps
    {
        Choose,
        Confirm,
        Done,
    }

    public Invitation? Invitation { get; private set; }
    public Steps Step { get; private set; } = Steps.Choose;
    public string? ChoiceError { get; private set; }
    public string? ReasonError { get; private set; }

    [BindProperty]
    public string? Choice { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool IsWithdrawn => Invitation?.Participant?.Status == ParticipantStatus.Withdrawn;

    /// <summary>Stopping reminders only means something while this wave can still be answered.</summary>
    public bool CanStopReminders => Invitation is { RemindersStoppedAt: null } i && InvitationStatus.Open.Contains(i.Status);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostChooseAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Page();
        }
        if (Parse(Choice) is null)
        {
            ChoiceError = T["ErrorChooseOne"];
            return Page();
        }
        Step = Steps.Confirm;
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Page();
        }
        if (Parse(Choice) is not { } choice)
        {
            ChoiceError = T["ErrorChooseOne"];
            return Page();
        }
        if (Reason is { Length: > ParticipantChoices.ReasonMaxLength })
        {
            ReasonError = T["ErrorTooLong", ParticipantChoices.ReasonMaxLength, Reason.Length];
            Step = Steps.Confirm;
            return Page();
        }
        await ParticipantChoices.ApplyAsync(Db, Clock, Invitation!.Id, choice, choice == ParticipantChoice.Withdraw ? Reason : null, ct);
        Step = Steps.Done;
        return Page();
    }

    /// <summary>Set once the participant asked for a copy of their data (docs/data-rights.md).</summary>
    public DataRights.DataCopyMail.Outcome? CopyRequest { get; private set; }

    public async Task<IActionResult> OnPostCopyAsync([FromServices] Mail.IMailTransport transport,
        [FromServices] Microsoft.Extensions.Options.IOptions<Mail.PublicLinkOptions> links, CancellationToken ct)
    {
        if (await LoadAsync(ct))
        {
            CopyRequest = await DataRights.DataCopyMail.RequestAsync(Db, transport, Clock, links.Value.PublicBaseUrl, Invitation!.ParticipantId, ct);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await Sessions.ReadAsync(HttpContext, ParticipantSessions.UnsubscribeCookie, Db, ct) is not { } session)
        {
            return false;
        }
        Invitation = await Db.Invitations.AsNoTracking().Include(i => i.Participant).Include(i => i.Wave)
            .FirstOrDefaultAsync(i => i.Id == session.InvitationId, ct);
        if (Invitation is not null)
        {
            UseStudy(await Db.Studies.AsNoTracking().FirstAsync(s => s.Id == Invitation.StudyId, ct));
        }
        return Invitation is not null;
    }

    private ParticipantChoice? Parse(string? value) => value switch
    {
        StopReminders when CanStopReminders => ParticipantChoice.StopReminders,
        StopAll => ParticipantChoice.StopAllEmail,
        Withdraw when !IsWithdrawn => ParticipantChoice.Withdraw,
        _ => null,
    };
}
