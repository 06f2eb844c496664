using System.Text.Json;
using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Mail;

/// <summary>
/// The email of a claimed message, with its placeholders filled now. One per batch: a batch
/// mostly shares one study and wave, so their JSON texts are parsed once per batch.
/// </summary>
internal sealed class ClaimedEmail(MailOptions options, PublicLinkOptions links, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<(Type, string Json), object> parsed = [];

    /// <summary>
    /// An address the rules refuse counts as refused by the relay for the recipient (the
    /// participant is flagged undeliverable); any other failure to compose fails the message
    /// alone. Either way the batch goes on.
    /// </summary>
    public MimeMessage Compose(ClaimedMessage claimed)
    {
        var email = claimed.Candidate.Email!;
        if (EmailAddressRules.Problem(email) is { } problem)
        {
            throw new EmailNotComposedException(new SendOutcome(SendResult.RecipientRejected, "not sent: the address " + problem));
        }
        try
        {
            return claimed.Candidate.Kind == MessageKind.ConsentCopy
                ? Consent.ConsentCopyEmail.Compose(ConsentInputFor(claimed.Candidate, clock.GetUtcNow()))
                : EmailComposer.Compose(InputFor(claimed, clock.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = $"not sent: the email could not be composed ({e.GetType().Name}: {e.Message})";
            throw new EmailNotComposedException(new SendOutcome(SendResult.Rejected, ReplyRedaction.Redact(reason, [email])), e);
        }
    }

    private T Parsed<T>(string json)
        where T : class, new()
    {
        if (!parsed.TryGetValue((typeof(T), json), out var value))
        {
            value = JsonSerializer.Deserialize<T>(json, Json) ?? new T();
            parsed[(typeof(T), json)] = value;
        }
        return (T)value;
    }

    /// <summary>A consent copy whose record is gone (the participant erased) cannot be composed, and fails alone.</summary>
    private Consent.ConsentCopyInput ConsentInputFor(DispatchCandidate c, DateTimeOffset now) => new(
        c.Id, c.ConsentLanguage ?? c.Language, c.DefaultLanguage, Parsed<LocalizedText>(c.StudyTitle),
        JsonSerializer.Deserialize<Protocol.ConsentDefinition>(c.ConsentDefinition ?? throw new InvalidOperationException("the consent record is gone"), Protocol.ProtocolJson.Options)!,
        Consent.ConsentCopyEmail.ParseAnswers(c.ConsentAnswers ?? "{}"), c.ConsentGivenAt ?? now.UtcDateTime, c.TimeZone,
        c.SenderName, c.SenderEmail, c.ContactEmail, c.Email!, c.Name, Domain(c), now);

    private string Domain(DispatchCandidate c) =>
        string.IsNullOrWhiteSpace(options.MessageIdDomain) ? c.SenderEmail[(c.SenderEmail.IndexOf('@') + 1)..] : options.MessageIdDomain;

    private EmailInput InputFor(ClaimedMessage claimed, DateTimeOffset now)
    {
        var c = claimed.Candidate;
        var rules = c.Rules();
        var closes = rules.Local(ScheduleMath.ToInstant(c.ClosesAt));
        // The window closes at the start of the day after its last day.
        var lastOpenDay = ScheduleMath.ToDateOnly(closes.TimeOfDay == NodaTime.LocalTime.Midnight ? closes.Date.PlusDays(-1) : closes.Date);
        var today = ScheduleMath.ToDateOnly(rules.Local(NodaTime.Instant.FromDateTimeOffset(now)).Date);
        var domain = Domain(c);
        return new EmailInput(
            c.Id, c.Kind, c.Step, c.Language, c.DefaultLanguage,
            Parsed<LocalizedText>(c.StudyTitle), Parsed<LocalizedText>(c.WaveTitle), Parsed<WaveEmailTexts>(c.Emails),
            c.SenderName, c.SenderEmail, c.ContactEmail, c.Email!, c.Name,
            lastOpenDay, today, links.SurveyLink(claimed.SurveyToken), links.UnsubscribeLink(claimed.UnsubscribeToken), domain, now,
            c.FirstName, c.EstimatedMinutes);
    }
}
