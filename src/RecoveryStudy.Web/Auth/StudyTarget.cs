using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// The study (and participant) a request is about, read from its route: <c>{studyId}</c> on study
/// pages, <c>{study}</c> (the code) on the API, <c>{id}</c> on participant pages, <c>{versionId}</c>
/// on instrument previews. Every mapped study route has one of them; the route test checks it.
/// </summary>
public sealed record StudyTarget(int? StudyId, int? ParticipantId, int? ParticipantCohortId)
{
    /// <summary>The route names a study or participant that does not exist.</summary>
    public bool Missing => StudyId is null;

    /// <summary>Null when the route is about no study (the study list, one's account, the protocol upload).</summary>
    public static async Task<StudyTarget?> ResolveAsync(HttpContext http, StudyDbContext db, CancellationToken ct)
    {
        var values = http.Request.RouteValues;
        if (Int(values, "studyId") is { } studyId)
        {
            return new StudyTarget(await db.Studies.AnyAsync(s => s.Id == studyId, ct) ? studyId : null, null, null);
        }
        if (values.TryGetValue("study", out var code) && code is string studyCode)
        {
            return new StudyTarget(await db.Studies.Where(s => s.Code == studyCode).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct), null, null);
        }
        if (Int(values, "id") is { } participantId && IsParticipantRoute(http))
        {
            var participant = await db.Participants.IgnoreQueryFilters().Where(p => p.Id == participantId)
                .Select(p => new { p.StudyId, p.CohortId }).SingleOrDefaultAsync(ct);
            return new StudyTarget(participant?.StudyId, participantId, participant?.CohortId);
        }
        if (Int(values, "versionId") is { } versionId)
        {
            return new StudyTarget(await db.InstrumentVersions.Where(v => v.Id == versionId)
                .Join(db.Instruments, v => v.InstrumentId, i => i.Id, (v, i) => (int?)i.StudyId).SingleOrDefaultAsync(ct), null, null);
        }
        return null;
    }

    private static bool IsParticipantRoute(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint endpoint
        && (endpoint.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("participants/", StringComparison.Ordinal);

    private static int? Int(RouteValueDictionary values, string name) =>
        values.TryGetValue(name, out var value) && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;
}
