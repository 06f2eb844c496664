using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Waves;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Sending;

/// <summary>
/// Sends one wave's invitation or reminder, composed exactly as participants get it, to the
/// signed-in staff member's own address (never to anyone else), through the configured relay.
/// Its links are samples that open the "link not valid" page.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class TestEmailModel(StudyDbContext db, TimeProvider clock, IMailTransport transport,
    IOptions<MailOptions> mailOptions, IOptions<PublicLinkOptions> linkOptions, IStringLocalizer<ConsoleText> text) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public Study Study { get; private set; } = null!;
    public IReadOnlyList<Wave> Waves { get; private set; } = [];
    public string? Outcome { get; private set; }
    public bool Sent { get; private set; }

    /// <summary>"wave id:kind:step", e.g. "12:reminder:2".</summary>
    [BindProperty] public string Choice { get; set; } = "";
    [BindProperty] public string? Language { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct) =>
        await LoadAsync(studyId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int studyId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, ct))
        {
            return NotFound();
        }
        var parts = Choice.Split(':');
        var wave = parts.Length == 3 && int.TryParse(parts[0], out var waveId) ? Waves.SingleOrDefault(w => w.Id == waveId) : null;
        if (wave is null || !MessageKind.All.Contains(parts[1]) || !int.TryParse(parts[2], out var step))
        {
            Outcome = text["TestEmail_Choose"].Value;
            return Page();
        }
        var staffEmail = User.Identity?.Name ?? "";
        var language = Language is not null && Study.Languages.Contains(Language) ? Language : Study.DefaultLanguage;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var options = mailOptions.Value;
        var domain = string.IsNullOrWhiteSpace(options.MessageIdDomain) ? Study.SenderEmail[(Study.SenderEmail.IndexOf('@') + 1)..] : options.MessageIdDomain;
        var sample = new string('x', 43);
        var input = new EmailInput(0, parts[1], step, language, Study.DefaultLanguage, Study.Title, wave.Title, wave.Emails,
            Study.SenderName, Study.SenderEmail, Study.ContactEmail, staffEmail, null,
            today.AddDays(Math.Max(1, wave.WindowClosesDays - wave.WindowOpensDays)), today,
            linkOptions.Value.SurveyLink(sample), linkOptions.Value.UnsubscribeLink(sample), domain, now,
            EstimatedMinutes: wave.EstimatedMinutes);
        using var message = EmailComposer.Compose(input);
        message.Subject = "[TEST] " + message.Subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(domain);

        var outcome = await SingleEmail.SendAsync(transport, message, ct);
        Sent = outcome.Result == SendResult.Sent;
        Outcome = Sent
            ? text["TestEmail_Sent", staffEmail, text.Step(parts[1], step), wave.Code, language].Value
            : text["TestEmail_NotSent", outcome.Result, outcome.Reply].Value;
        AuditLog.Add(db, clock, User.Actor(), "mail.test", studyId, "wave", wave.Id, new { kind = parts[1], step, language, result = outcome.Result.ToString() });
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>The emails a wave can send: its invitation, each reminder, its last chance.</summary>
    public static IEnumerable<(string Value, string Label)> EmailsOf(Wave wave) =>
        new[] { ($"{wave.Id}:{MessageKind.Invitation}:0", "invitation") }
            .Concat(wave.ReminderDays.Select((_, n) => ($"{wave.Id}:{MessageKind.Reminder}:{n + 1}", $"reminder {n + 1}")))
            .Concat(wave.LastChanceDaysBefore is null ? [] : new[] { ($"{wave.Id}:{MessageKind.LastChance}:0", "last chance") });

    private async Task<bool> LoadAsync(int studyId, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null)
        {
            return false;
        }
        Study = study;
        Nav = new StudyNav(study.Id, study.Code, study.Status, "sending", study.TimeZone);
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId && w.Kind == WaveKind.Questionnaire).OrderBy(w => w.Position).ThenBy(w => w.Code).ToListAsync(ct);
        return true;
    }
}
