using MimeKit;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Tests.Emails;

/// <summary>One email of a seed study, composed as the dispatcher composes it, from the repository's seed texts.</summary>
public sealed record SeedEmail(string Study, string Wave, int WavePosition, string Kind, int Step, string Language)
{
    public override string ToString() => $"{Study}/{Wave}/{Kind}{(Step > 0 ? Step : "")}/{Language}";
}

internal static class SeedEmails
{
    public const string SurveyLink = "https://study.example.org/s/Zm9vYmFyLWJhei1xdXV4LWNvcmdlLWdyYXVsdC1nYXJwbHk";
    public const string UnsubscribeLink = "https://study.example.org/u/cXV1eC1jb3JnZS1ncmF1bHQtZ2FycGx5LXdhbGRvLWZyZWQ";

    private static readonly Dictionary<string, ProtocolDocument> Documents = new()
    {
        [Seeds.RaCourse] = ProtocolJson.Deserialize(Seeds.Read(Seeds.RaCourse)),
        [Seeds.FactPeer] = ProtocolJson.Deserialize(Seeds.Read(Seeds.FactPeer)),
    };

    /// <summary>Every email of every wave of both seed studies: invitation, each reminder, last chance, in each language.</summary>
    public static IEnumerable<SeedEmail> All() =>
        from study in Documents
        from wave in study.Value.Waves.Select((w, i) => (w, i))
        from kind in Kinds(wave.w)
        from language in study.Value.Study.Languages
        select new SeedEmail(study.Key, wave.w.Code, wave.i, kind.Kind, kind.Step, language);

    public static ProtocolDocument Document(string study) => Documents[study];

    public static WaveDefinition Wave(SeedEmail email) => Documents[email.Study].Waves[email.WavePosition];

    public static MimeMessage Compose(SeedEmail email, DateOnly today, DateOnly lastOpenDay, string? firstName = "Anna")
    {
        var document = Documents[email.Study];
        var definition = Wave(email);
        var wave = new Wave { Code = definition.Code, Anchor = definition.Anchor };
        WaveMapping.Fill(wave, definition, email.WavePosition);
        return EmailComposer.Compose(new EmailInput(
            1, email.Kind, email.Step, email.Language, document.Study.DefaultLanguage, new LocalizedText(document.Study.Title), wave.Title, wave.Emails,
            document.Study.Sender.Name, document.Study.Sender.Email, document.Study.ContactEmail, "anna@example.org", "Anna Nowak",
            lastOpenDay, today, SurveyLink, UnsubscribeLink, "example.org", new DateTimeOffset(today.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero),
            firstName, wave.EstimatedMinutes));
    }

    private static IEnumerable<(string Kind, int Step)> Kinds(WaveDefinition wave) =>
        new[] { (MessageKind.Invitation, 0) }
            .Concat(Enumerable.Range(1, wave.Emails.Reminders?.Count ?? 0).Select(step => (MessageKind.Reminder, step)))
            .Concat(wave.Emails.LastChance is null ? [] : new[] { (MessageKind.LastChance, 0) });
}
