using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Writes a study's current definition as a protocol document, built from the tables (not from
/// the stored file), so that it shows what the platform actually runs: the newest version of
/// each instrument asked in a wave, the waves in order, the cohorts with their dates.
/// </summary>
public static class ProtocolExporter
{
    /// <summary>The protocol as JSON, or null when no study has that code.</summary>
    public static async Task<string?> ExportAsync(StudyDbContext db, string studyCode, CancellationToken ct)
    {
        var protocol = await ReadAsync(db, studyCode, ct);
        return protocol is null ? null : ProtocolJson.Serialize(protocol);
    }

    public static async Task<ProtocolDocument?> ReadAsync(StudyDbContext db, string studyCode, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Code == studyCode, ct);
        if (study is null)
        {
            return null;
        }
        var cohorts = await db.Cohorts.AsNoTracking().Include(c => c.Anchors).Where(c => c.StudyId == study.Id).OrderBy(c => c.Id).ToListAsync(ct);
        var waves = await db.Waves.AsNoTracking().Include(w => w.Instruments).Where(w => w.StudyId == study.Id).OrderBy(w => w.Position).ThenBy(w => w.Id).ToListAsync(ct);
        var asked = waves.SelectMany(w => w.Instruments).Select(i => i.InstrumentId).ToHashSet();
        var instruments = await db.Instruments.AsNoTracking().Where(i => i.StudyId == study.Id && asked.Contains(i.Id)).OrderBy(i => i.Id).ToListAsync(ct);
        var codes = instruments.ToDictionary(i => i.Id, i => i.Code);
        var definitions = new List<InstrumentDefinition>();
        foreach (var instrument in instruments)
        {
            var newest = await db.InstrumentVersions.AsNoTracking().AsSplitQuery()
                .Include(v => v.Items).ThenInclude(i => i.Options).Include(v => v.Scores)
                .Where(v => v.InstrumentId == instrument.Id).OrderByDescending(v => v.Version).FirstAsync(ct);
            definitions.Add(InstrumentMapping.ToDefinition(instrument.Code, newest));
        }
        var anchorOrder = study.Anchors.Select(a => a.Code).ToList();
        // Consent has no tables of its own yet: it is taken from the current protocol version's file.
        var current = await db.ProtocolVersions.AsNoTracking().Where(v => v.Id == study.CurrentProtocolVersionId).Select(v => v.Document).SingleOrDefaultAsync(ct);
        return new ProtocolDocument
        {
            Study = StudyMapping.ToSettings(study),
            Roles = [.. study.Roles.Select(r => new RoleDefinition { Code = r.Code, Title = r.Title })],
            Anchors = [.. study.Anchors.Select(a => new AnchorDefinition { Code = a.Code, Label = a.Label, Scope = a.Scope == AnchorScope.Participant ? null : a.Scope })],
            Cohorts = cohorts.Count == 0 ? null : [.. cohorts.Select(c => new CohortDefinition
            {
                Code = c.Code,
                Name = c.Name,
                Anchors = c.Anchors.Count == 0 ? null : c.Anchors.OrderBy(a => anchorOrder.IndexOf(a.Name)).ToDictionary(a => a.Name, a => a.Date),
            })],
            Instruments = definitions,
            Waves = [.. waves.Select(w => WaveMapping.ToDefinition(w, [.. w.Instruments.OrderBy(i => i.Position).Select(i => codes[i.InstrumentId])]))],
            Consent = current is null ? null : ProtocolJson.Deserialize(current).Consent,
        };
    }
}
