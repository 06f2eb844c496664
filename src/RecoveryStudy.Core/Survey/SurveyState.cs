using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Survey;

/// <summary>Whether a participant may answer now, and if not, which notice they see.</summary>
public enum SurveyAvailability
{
    Open,
    Completed,
    Closed,
    Withdrawn,
}

/// <summary>
/// Everything the participant pages need about one invitation: the wave's instrument versions
/// (the version a response already pins, else the newest), their pages, and the saved answers.
/// </summary>
public sealed class SurveyState
{
    private SurveyState(Invitation invitation, Study study, IReadOnlyList<InstrumentVersion> versions, List<Response> responses,
        IReadOnlyList<Consent.ConsentMark> consents)
    {
        Consents = consents;
        Invitation = invitation;
        Study = study;
        Versions = versions;
        Pages = SurveyPlan.Build(versions);
        Responses = responses.ToDictionary(r => r.InstrumentVersionId);
        Answers = responses.SelectMany(r => r.Answers).ToDictionary(a => a.ItemId);
    }

    public Invitation Invitation { get; }
    public Study Study { get; }
    public IReadOnlyList<InstrumentVersion> Versions { get; }
    public IReadOnlyList<SurveyPage> Pages { get; }
    public Dictionary<int, Response> Responses { get; }
    public Dictionary<int, Answer> Answers { get; }

    /// <summary>The participant's consent answers, for <see cref="Consent.ConsentGate"/>.</summary>
    public IReadOnlyList<Consent.ConsentMark> Consents { get; }

    public bool HasStarted => Answers.Count > 0;

    public SurveyAvailability Availability(DateTime now) => Invitation switch
    {
        { Participant.Status: ParticipantStatus.Withdrawn } or { Status: InvitationStatus.Withdrawn } => SurveyAvailability.Withdrawn,
        { Status: InvitationStatus.Completed } => SurveyAvailability.Completed,
        _ when !InvitationStatus.Open.Contains(Invitation.Status) || now >= Invitation.ClosesAt => SurveyAvailability.Closed,
        _ => SurveyAvailability.Open,
    };

    public bool IsVisible(Item item) =>
        ShowIf.IsVisible(item, Versions.First(v => v.Id == item.InstrumentVersionId).Items, Answers);

    /// <summary>A page is skipped when every question on it is hidden, or, for a page of text alone, when its section is.</summary>
    public bool IsShown(SurveyPage page) =>
        page.Questions.Count == 0 ? page.Section is null || IsVisible(page.Section) : page.Questions.Any(IsVisible);

    public IReadOnlyList<SurveyPage> ShownPages => Pages.Where(IsShown).ToArray();

    public IEnumerable<Item> MissingRequired(SurveyPage page) =>
        page.Questions.Where(q => q.Required && IsVisible(q) && !Answers.ContainsKey(q.Id));

    /// <summary>
    /// Where a returning participant continues: the first page with a required question left
    /// open before the furthest page they saved, otherwise the page after that furthest one.
    /// </summary>
    public SurveyPage? ResumePage()
    {
        var shown = ShownPages;
        if (shown.Count == 0)
        {
            return null;
        }
        var furthest = -1;
        for (var i = 0; i < shown.Count; i++)
        {
            if (shown[i].Questions.Any(q => Answers.ContainsKey(q.Id)))
            {
                furthest = i;
            }
        }
        for (var i = 0; i <= furthest; i++)
        {
            if (MissingRequired(shown[i]).Any())
            {
                return shown[i];
            }
        }
        return shown[Math.Min(furthest + 1, shown.Count - 1)];
    }

    public static Task<SurveyState?> LoadAsync(StudyDbContext db, long invitationId, CancellationToken ct) =>
        LoadAsync(db, invitationId, liveTokenHash: null, forUpdate: false, ct);

    /// <summary>
    /// The invitation, its participant, wave and study, and its responses with their answers
    /// (<see cref="SurveyStateQuery"/>); the wave's instruments and versions from
    /// <see cref="WaveStructures"/> and the chosen versions' questions from
    /// <see cref="SurveyStructures"/> (each a statement more only when its cache misses). With
    /// <paramref name="liveTokenHash"/>, null also when that link has been revoked. A page view reads in two compiled statements, the answers
    /// in one of their own; with <paramref name="forUpdate"/>, one statement locks the invitation's row
    /// for the caller's transaction (so two tabs save one after the other).
    /// </summary>
    public static async Task<SurveyState?> LoadAsync(StudyDbContext db, long invitationId, byte[]? liveTokenHash, bool forUpdate, CancellationToken ct)
    {
        var row = forUpdate
            ? await SurveyStateQuery.ReadLockedAsync(db, invitationId, liveTokenHash, ct)
            : await SurveyStateQuery.ReadAsync(db, invitationId, liveTokenHash, ct);
        if (row is null)
        {
            return null;
        }
        var invitation = row.Invitation;
        invitation.Participant = row.Participant;
        invitation.Wave = row.Wave;
        foreach (var r in row.Responses)
        {
            r.Response.Answers = r.Answers;
        }

        // The version a response already pins, else the newest.
        var structure = await WaveStructures.GetAsync(db, row.Wave.Id, row.Wave.StructureRevision, ct);
        var chosen = new List<(int Id, string Hash)>();
        foreach (var instrumentId in structure.InstrumentIds)
        {
            var pinned = row.Responses
                .Select(r => structure.VersionsById.GetValueOrDefault(r.Response.InstrumentVersionId))
                .FirstOrDefault(v => v?.InstrumentId == instrumentId);
            if ((pinned ?? structure.Newest.GetValueOrDefault(instrumentId)) is { } version)
            {
                chosen.Add((version.Id, version.ContentHash));
            }
        }
        var versions = await SurveyStructures.GetAsync(db, chosen, ct);
        return new SurveyState(invitation, row.Study, versions, row.Responses.Select(r => r.Response).ToList(), row.Consents);
    }
}
