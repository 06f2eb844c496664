using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Sending;

/// <summary>The study's outbox: what is queued, sent, failed (and why) or cancelled; a failed email can be tried again.</summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class OutboxModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(long Id, int ParticipantId, string Participant, string Wave, string Kind, int Step, string Status,
        DateTime DueAt, DateTime NextAttemptAt, int Attempts, DateTime? SentAt, string? LastError, string? CancelReason, int UnknownOutcomes);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int? Wave { get; set; }

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Dictionary<string, int> Counts { get; private set; } = [];
    public int UnknownOutcomes { get; private set; }
    public Dictionary<int, string> Waves { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "outbox", ct) is not { } nav)
        {
            return NotFound();
        }
        Nav = nav;
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ToDictionaryAsync(w => w.Id, w => w.Code, ct);
        var ofStudy = db.Messages.AsNoTracking().Where(m => m.Invitation!.StudyId == studyId);
        Counts = await ofStudy.GroupBy(m => m.Status).ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
        UnknownOutcomes = await ofStudy.SumAsync(m => m.UnknownOutcomes, ct);
        var query = ofStudy;
        if (!string.IsNullOrEmpty(Status))
        {
            query = query.Where(m => m.Status == Status);
        }
        if (Wave is int wave)
        {
            query = query.Where(m => m.Invitation!.WaveId == wave);
        }
        // Failed first (they need a decision), then what goes out next, then the most recent sends.
        Rows = await query
            .OrderBy(m => m.Status == MessageStatus.Failed ? 0 : m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending ? 1 : 2)
            .ThenBy(m => m.Status == MessageStatus.Queued ? m.NextAttemptAt : DateTime.MaxValue)
            .ThenByDescending(m => m.SentAt)
            .ThenByDescending(m => m.Id)
            .Take(PageSize)
            .Select(m => new Row(m.Id, m.Invitation!.ParticipantId, m.Invitation.Participant!.Code, m.Invitation.Wave!.Code, m.Kind, m.Step, m.Status,
                m.DueAt, m.NextAttemptAt, m.Attempts, m.SentAt, m.LastError, m.CancelReason, m.UnknownOutcomes))
            .ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(int studyId, long messageId, CancellationToken ct)
    {
        var message = await db.Messages.Include(m => m.Invitation).ThenInclude(i => i!.Participant)
            .SingleOrDefaultAsync(m => m.Id == messageId && m.Invitation!.StudyId == studyId, ct);
        if (message is null)
        {
            return NotFound();
        }
        if (message.Status != MessageStatus.Failed)
        {
            TempData["Notice"] = text["OutboxOnlyFailed"].Value;
        }
        else if (message.Invitation!.Participant!.UndeliverableAt is not null)
        {
            TempData["Notice"] = text["OutboxRejected", message.Invitation.Participant.Code].Value;
        }
        else
        {
            message.Status = MessageStatus.Queued;
            message.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
            message.Attempts = 0;
            message.FailedAt = null;
            message.ClaimedBy = null;
            message.ClaimedUntil = null;
            AuditLog.Add(db, clock, User.Actor(), "message.retry", studyId, "message", messageId, new { previous_error = message.LastError is not null });
            await db.SaveChangesAsync(ct);
            TempData["Notice"] = text["OutboxRequeued", message.Invitation.Participant.Code].Value;
        }
        return RedirectToPage("/Console/Sending/Outbox", new { studyId, status = MessageStatus.Failed });
    }

}
