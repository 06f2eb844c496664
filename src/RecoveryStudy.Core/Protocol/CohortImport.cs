using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Protocol;

/// <summary>Upserts the protocol's cohorts and their anchor dates; a cohort with participants is never deleted.</summary>
internal static class CohortImport
{
    public static async Task ApplyAsync(ImportDetails import, ProtocolDocument protocol, CancellationToken ct)
    {
        var db = import.Db;
        var existing = await db.Cohorts.Include(c => c.Anchors).Where(c => c.StudyId == import.StudyId).ToListAsync(ct);
        foreach (var definition in protocol.Cohorts ?? [])
        {
            var cohort = existing.FirstOrDefault(c => c.Code == definition.Code);
            if (cohort is null)
            {
                cohort = new Cohort { StudyId = import.StudyId, Code = definition.Code, Name = definition.Name };
                db.Cohorts.Add(cohort);
                import.Changes.Add($"cohort '{definition.Code}' added");
            }
            else if (cohort.Name != definition.Name)
            {
                cohort.Name = definition.Name;
                import.Changes.Add($"cohort '{definition.Code}': name changed");
            }
            var dates = definition.Anchors ?? [];
            foreach (var anchor in cohort.Anchors.Where(a => !dates.ContainsKey(a.Name)).ToList())
            {
                cohort.Anchors.Remove(anchor);
                import.Changes.Add($"cohort '{definition.Code}': anchor {anchor.Name} removed (was {anchor.Date:yyyy-MM-dd})");
            }
            foreach (var (name, date) in dates)
            {
                var anchor = cohort.Anchors.FirstOrDefault(a => a.Name == name);
                if (anchor is null)
                {
                    cohort.Anchors.Add(new CohortAnchor { Name = name, Date = date });
                    if (cohort.Id != 0)
                    {
                        import.Changes.Add($"cohort '{definition.Code}': anchor {name} set to {date:yyyy-MM-dd}");
                    }
                }
                else if (anchor.Date != date)
                {
                    import.Changes.Add($"cohort '{definition.Code}': anchor {name} moved from {anchor.Date:yyyy-MM-dd} to {date:yyyy-MM-dd} (future sends only)");
                    anchor.Date = date;
                }
            }
        }
        var declared = (protocol.Cohorts ?? []).Select(c => c.Code).ToHashSet();
        foreach (var cohort in existing.Where(c => !declared.Contains(c.Code)))
        {
            if (await db.Participants.AnyAsync(p => p.CohortId == cohort.Id, ct))
            {
                import.Changes.Add($"cohort '{cohort.Code}' is not in the protocol but has participants; it was kept");
            }
            else
            {
                db.Cohorts.Remove(cohort);
                import.Changes.Add($"cohort '{cohort.Code}' removed");
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
