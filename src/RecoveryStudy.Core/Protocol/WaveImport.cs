using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Upserts the protocol's waves by code. A wave keeps its id (and so its invitations) when its
/// definition changes; the planner applies the new definition to future sends only.
/// </summary>
internal static class WaveImport
{
    /// <summary>A wave that already has invitations cannot be dropped from the protocol: that is reported before anything is written.</summary>
    public static async Task<List<ProtocolProblem>> RemovalProblemsAsync(Data.StudyDbContext db, int studyId, ProtocolDocument protocol, CancellationToken ct)
    {
        var declared = protocol.Waves.Select(w => w.Code).ToList();
        var blocked = await db.Waves
            .Where(w => w.StudyId == studyId && !declared.Contains(w.Code)
                && (db.Invitations.Any(i => i.WaveId == w.Id) || db.InterviewTasks.Any(t => t.WaveId == w.Id)))
            .Select(w => w.Code).ToListAsync(ct);
        var problems = blocked.Select(code => new ProtocolProblem("$.waves",
            $"wave '{code}' is missing, but participants were already invited to it; keep it in the protocol (pause it from the console to stop its sending)")).ToList();
        // A wave's invitations or interview tasks belong to its kind: it cannot turn into the other once it has any.
        var used = await db.Waves
            .Where(w => w.StudyId == studyId && (db.Invitations.Any(i => i.WaveId == w.Id) || db.InterviewTasks.Any(t => t.WaveId == w.Id)))
            .Select(w => new { w.Code, w.Kind }).ToListAsync(ct);
        for (var index = 0; index < protocol.Waves.Count; index++)
        {
            var definition = protocol.Waves[index];
            var kind = definition.IsInterview ? Data.WaveKind.Interview : Data.WaveKind.Questionnaire;
            if (used.FirstOrDefault(w => w.Code == definition.Code) is { } stored && stored.Kind != kind)
            {
                problems.Add(new ProtocolProblem($"$.waves[{index}].kind",
                    $"wave '{definition.Code}' has participants planned in it as kind '{stored.Kind}'; it cannot become kind '{kind}' (add a new wave instead)"));
            }
        }
        return problems;
    }

    public static async Task ApplyAsync(ImportDetails import, ProtocolDocument protocol, Dictionary<string, int> instrumentIds, CancellationToken ct)
    {
        var db = import.Db;
        var codesById = instrumentIds.ToDictionary(p => p.Value, p => p.Key);
        var waves = await db.Waves.Include(w => w.Instruments).Where(w => w.StudyId == import.StudyId).ToListAsync(ct);
        for (var index = 0; index < protocol.Waves.Count; index++)
        {
            var definition = protocol.Waves[index];
            var wave = waves.FirstOrDefault(w => w.Code == definition.Code);
            if (wave is null)
            {
                wave = new Wave { StudyId = import.StudyId, Code = definition.Code, Anchor = definition.Anchor };
                db.Waves.Add(wave);
                import.Changes.Add($"wave '{definition.Code}' added");
            }
            else
            {
                var before = WaveMapping.ToDefinition(wave, [.. wave.Instruments.OrderBy(i => i.Position).Select(i => codesById.GetValueOrDefault(i.InstrumentId, "?"))]);
                var changed = Differences.Between(before, definition);
                if (changed.Count > 0)
                {
                    import.Changes.Add($"wave '{definition.Code}': {string.Join(", ", changed)} changed (future sends only)");
                }
            }
            WaveMapping.Fill(wave, definition, index + 1);
            SetInstruments(wave, [.. definition.Instruments.Select(code => instrumentIds[code])]);
        }
        var declared = protocol.Waves.Select(w => w.Code).ToHashSet();
        foreach (var wave in waves.Where(w => !declared.Contains(w.Code)))
        {
            db.Waves.Remove(wave);
            import.Changes.Add($"wave '{wave.Code}' removed (nobody had been invited to it)");
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Updates the wave's instrument rows in place: their key is (wave, instrument), so a kept one must not be re-added.</summary>
    private static void SetInstruments(Wave wave, List<int> instrumentIds)
    {
        wave.Instruments.RemoveAll(wi => !instrumentIds.Contains(wi.InstrumentId));
        for (var position = 0; position < instrumentIds.Count; position++)
        {
            var row = wave.Instruments.FirstOrDefault(wi => wi.InstrumentId == instrumentIds[position]);
            if (row is null)
            {
                wave.Instruments.Add(new WaveInstrument { InstrumentId = instrumentIds[position], Position = position + 1 });
            }
            else
            {
                row.Position = position + 1;
            }
        }
    }
}
