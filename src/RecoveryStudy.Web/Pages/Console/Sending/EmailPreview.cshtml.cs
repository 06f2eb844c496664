using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Sending;

/// <summary>
/// Every email text of the study, per wave, step (invitation, each reminder, last chance) and
/// language, composed by <see cref="EmailComposer"/> exactly as a participant gets it, for a made-up
/// sample participant with sample links: what the protocol's texts read like once filled in. Sends
/// nothing and shows no real participant's data.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class EmailPreviewModel(StudyDbContext db, TimeProvider clock, IOptions<MailOptions> mailOptions,
    IOptions<PublicLinkOptions> linkOptions) : PageModel
{
    /// <summary>The sample participant every preview is addressed to.</summary>
    public const string SampleName = "Alex Example";
    public const string SampleFirstName = "Alex";
    public const string SampleEmail = "alex.example@example.org";

    /// <summary>One composed email: which wave, step and language, and its subject and plain text.</summary>
    public sealed record PreviewEmail(string Wave, string Step, string Language, string Subject, string Text);

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<PreviewEmail> Emails { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null)
        {
            return NotFound();
        }
        Nav = new StudyNav(study.Id, study.Code, study.Status, "sending", study.TimeZone);
        var waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId && w.Kind == WaveKind.Questionnaire).OrderBy(w => w.Position).ThenBy(w => w.Code).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var options = mailOptions.Value;
        var domain = string.IsNullOrWhiteSpace(options.MessageIdDomain) ? study.SenderEmail[(study.SenderEmail.IndexOf('@') + 1)..] : options.MessageIdDomain;
        var sample = new string('x', 43);
        var emails = new List<PreviewEmail>();
        foreach (var wave in waves)
        {
            var steps = new[] { (MessageKind.Invitation, 0) }
                .Concat(wave.ReminderDays.Select((_, n) => (MessageKind.Reminder, n + 1)))
                .Concat(wave.LastChanceDaysBefore is null ? [] : new[] { (MessageKind.LastChance, 0) });
            foreach (var (kind, step) in steps)
            {
                foreach (var language in study.Languages)
                {
                    var input = new EmailInput(0, kind, step, language, study.DefaultLanguage, study.Title, wave.Title, wave.Emails,
                        study.SenderName, study.SenderEmail, study.ContactEmail, SampleEmail, SampleName,
                        today.AddDays(Math.Max(1, wave.WindowClosesDays - wave.WindowOpensDays)), today,
                        linkOptions.Value.SurveyLink(sample), linkOptions.Value.UnsubscribeLink(sample), domain, now,
                        RecipientFirstName: SampleFirstName, EstimatedMinutes: wave.EstimatedMinutes);
                    using var message = EmailComposer.Compose(input);
                    emails.Add(new PreviewEmail(wave.Code, ParticipantPlanner.StepLabel(kind, step), language, message.Subject ?? "", PlainText(message)));
                }
            }
        }
        Emails = emails;
        return Page();
    }

    private static string PlainText(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain)?.GetText(Encoding.UTF8) ?? message.TextBody ?? "";
}
