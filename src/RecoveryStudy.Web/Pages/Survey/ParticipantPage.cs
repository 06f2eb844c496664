using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>What every survey page has: the database, the clock, the session and the fixed texts.</summary>
public abstract class ParticipantPage(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text) : PageModel
{
    protected StudyDbContext Db => db;
    protected TimeProvider Clock => clock;
    protected ParticipantSessions Sessions => sessions;
    protected DateTime Now => clock.GetUtcNow().UtcDateTime;
    public IStringLocalizer<ParticipantText> T => text;
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    /// <summary>The languages offered for switching: the study's, where the pages have texts for them.</summary>
    public IReadOnlyList<string> Languages { get; protected set; } = ParticipantPagesHosting.Languages;
    public SurveyState? State { get; private set; }

    /// <summary>The study whose pages these are, for the header and the language choice.</summary>
    public Study? Study { get; private set; }

    protected async Task<SurveyState?> LoadStateAsync(CancellationToken ct)
    {
        var session = await SessionAsync(ct);
        State = session is null ? null : await SurveyState.LoadAsync(db, session.InvitationId, ct);
        if (State is not null)
        {
            UseStudy(State.Study);
        }
        return State;
    }

    protected void UseStudy(Study study)
    {
        Study = study;
        var offered = ParticipantPagesHosting.Languages.Where(study.Languages.Contains).ToArray();
        Languages = offered.Length > 0 ? offered : ParticipantPagesHosting.Languages;
    }

    private Task<ParticipantSession?>? session;

    /// <summary>The survey session of this request, read (and checked against revocation) once.</summary>
    protected Task<ParticipantSession?> SessionAsync(CancellationToken ct) =>
        session ??= sessions.ReadAsync(HttpContext, ParticipantSessions.SurveyCookie, db, ct);

    /// <summary>A date in the participant's own time zone, written the way their language writes it.</summary>
    public string LocalDate(DateTime utc, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("D", CultureInfo.CurrentCulture);
    }
}
