using Microsoft.EntityFrameworkCore;
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
    private SurveyState(Invitation invitation, Study study, IReadOnlyList<InstrumentVersion> versions, List<Response> responses)
    {
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

    public static async Task<SurveyState?> LoadAsync(StudyDbContext db, long invitationId, CancellationToken ct)
    {
        var invitation = await db.Invitations.Include(i => i.Participant).Include(i => i.Wave)
            .FirstOrDefaultAsync(i => i.Id == invitationId, ct);
        if (invitation is null)
        {
            return null;
        }
        var study = await db.Studies.FirstAsync(s => s.Id == invitation.StudyId, ct);
        var responses = await db.Responses.Include(r => r.Answers).Where(r => r.InvitationId == invitationId).ToListAsync(ct);
        var instrumentIds = await db.WaveInstruments.Where(wi => wi.WaveId == invitation.WaveId)
            .OrderBy(wi => wi.Position).Select(wi => wi.InstrumentId).ToListAsync(ct);
        var candidates = await db.InstrumentVersions.Where(v => instrumentIds.Contains(v.InstrumentId))
            .Select(v => new { v.Id, v.InstrumentId, v.Version }).ToListAsync(ct);
        var pinned = responses.Select(r => r.InstrumentVersionId).ToHashSet();

        var chosen = new List<int>();
        foreach (var instrumentId in instrumentIds)
        {
            var ofInstrument = candidates.Where(c => c.InstrumentId == instrumentId).ToList();
            var version = ofInstrument.FirstOrDefault(c => pinned.Contains(c.Id)) ?? ofInstrument.MaxBy(c => c.Version);
            if (version is not null)
            {
                chosen.Add(version.Id);
            }
        }
        var loaded = await db.InstrumentVersions.Include(v => v.Instrument).Include(v => v.Items).ThenInclude(i => i.Options)
            .AsSplitQuery().Where(v => chosen.Contains(v.Id)).ToListAsync(ct);
        var versions = chosen.Select(id => loaded.First(v => v.Id == id)).ToArray();
        foreach (var version in versions)
        {
            version.Items = version.Items.OrderBy(i => i.Position).ToList();
        }
        return new SurveyState(invitation, study, versions, responses);
    }
}
