using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>A participant's consent as an export shows it: a refusal if there is one, else their agreement to the newest version.</summary>
public sealed record ConsentCell(string Decision, int Version, DateTime GivenAt, IReadOnlyDictionary<string, bool> Answers);

/// <summary>
/// The consent columns of every analysis table, long, wide and wide-across (docs/protocol.md, "Informed consent"): status,
/// version and time, and a yes/no column per optional clause of the study's current consent
/// (required clauses are yes whenever the status is agreed). Codes and times only: never a name.
/// </summary>
public sealed class ConsentColumns
{
    public const string NotGiven = "not_given";

    private ConsentColumns(bool asked, IReadOnlyList<(string Code, string Label)> optional, Dictionary<int, ConsentCell> byParticipant)
    {
        Asked = asked;
        OptionalClauses = optional;
        byId = byParticipant;
    }

    private readonly Dictionary<int, ConsentCell> byId;

    public static readonly ConsentColumns None = new(false, [], []);

    public IReadOnlyList<(string Code, string Label)> OptionalClauses { get; }

    /// <summary>False for a study that never asked consent: its tables have no consent columns.</summary>
    public bool Asked { get; }

    public IReadOnlyList<ExportColumn> Columns => !Asked ? [] :
    [
        ExportColumn.Text("consent_status", "Informed consent: agreed, declined or not_given"),
        ExportColumn.Number("consent_version", "Informed consent: version answered"),
        ExportColumn.Timestamp("consent_at", "Informed consent: answered at (UTC)"),
        .. OptionalClauses.Select(c => new ExportColumn("consent_" + c.Code, "Consent (optional clause): " + c.Label, ColumnType.Numeric,
            [new(0, "no"), new(1, "yes")])),
    ];

    public IEnumerable<string?> Cells(ParticipantRecord participant)
    {
        if (!Asked)
        {
            yield break;
        }
        var cell = byId.GetValueOrDefault(participant.Id);
        yield return cell?.Decision ?? NotGiven;
        yield return cell is null ? null : Exports.Cells.Number(cell.Version);
        yield return Exports.Cells.Timestamp(cell?.GivenAt);
        foreach (var (code, _) in OptionalClauses)
        {
            yield return cell is not null && cell.Answers.TryGetValue(code, out var yes) ? (yes ? "1" : "0") : null;
        }
    }

    /// <summary>The study's current consent and every participant's answer; <see cref="None"/> when the study never asked consent.</summary>
    public static async Task<ConsentColumns> LoadAsync(StudyDbContext db, int studyId, int? protocolVersionId, string language, CancellationToken ct)
    {
        var consent = protocolVersionId is int id ? await ConsentGate.DefinitionAsync(db, id, ct) : null;
        var records = await db.ConsentRecords.AsNoTracking()
            .Where(c => db.Participants.IgnoreQueryFilters().Any(p => p.Id == c.ParticipantId && p.StudyId == studyId))
            .ToListAsync(ct);
        if (consent is null && records.Count == 0)
        {
            return None;
        }
        var byParticipant = records.GroupBy(r => r.ParticipantId).ToDictionary(g => g.Key, g =>
        {
            var shown = g.Where(r => r.Decision == ConsentDecision.Declined).OrderByDescending(r => r.GivenAt).FirstOrDefault()
                ?? g.OrderByDescending(r => r.ConsentVersion).First();
            return new ConsentCell(shown.Decision, shown.ConsentVersion, shown.GivenAt, shown.ClauseAnswers);
        });
        var optional = consent?.Clauses.Where(c => !c.Required).Select(c => (c.Code, c.Text.For(language))).ToList() ?? [];
        return new ConsentColumns(true, optional, byParticipant);
    }
}
