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
        // The link's liveness is checked in the state's own query; only a failed read asks again,
        // through the session check that also drops a revoked link's cookie.
        var peeked = sessions.Peek(HttpContext, ParticipantSessions.SurveyCookie);
        State = peeked is null ? null : await SurveyState.LoadAsync(db, peeked.InvitationId, peeked.Link.TokenHash, forUpdate: false, ct);
        if (State is null && peeked is not null)
        {
            await SessionAsync(ct);
        }
        if (State is not null)
        {
            UseStudy(State.Study);
        }
        return State;
    }

    /// <summary>A state read by a save, shown without reading it again.</summary>
    protected void UseState(SurveyState state)
    {
        State = state;
        UseStudy(state.Study);
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

    /// <summary>
    /// A moment in the participant's own time zone (the study's unless the roster gave another),
    /// written the way their language writes it, with the zone named.
    /// </summary>
    public string LocalTime(DateTime utc, string timeZone) => ZonedTime.In(timeZone).Long(utc, text["DateTimePattern"]);
}
