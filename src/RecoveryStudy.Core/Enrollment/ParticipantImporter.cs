using Microsoft.EntityFrameworkCore;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Enrollment;

/// <summary>
/// Enrolls participants from a roster CSV (see docs/protocol.md, "Enrolling participants").
/// All rows or none: any bad row stops the import and every problem is listed. Known codes are
/// updated (a changed anchor date moves future sends only), new codes are created, and rows
/// that match what is stored change nothing, so importing the same file twice is harmless.
/// </summary>
public sealed class ParticipantImporter(StudyDbContext db, TimeProvider clock)
{
    public async Task<ParticipantImportResult> ImportAsync(string studyCode, Stream csv, Actor actor, CancellationToken ct, ParticipantImportOptions? options = null)
    {
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Code == studyCode, ct);
        if (study is null)
        {
            return ParticipantImportResult.Failed([new CsvProblem(0, "study", $"no study has the code '{studyCode}'")]);
        }
        var (header, rows, problems) = RosterReader.Read(csv);
        var flags = await db.Waves.Where(w => w.StudyId == study.Id && w.RequiresFlag != null)
            .Select(w => w.RequiresFlag!).Distinct().OrderBy(f => f).ToListAsync(ct);
        problems.AddRange(RosterRules.CheckHeader(header, study, flags));
        if (problems.Count > 0)
        {
            return ParticipantImportResult.Failed(problems);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var context = new RosterContext(
            study,
            await db.Cohorts.Include(c => c.Anchors).Where(c => c.StudyId == study.Id).ToListAsync(ct),
            await db.Waves.Where(w => w.StudyId == study.Id).ToListAsync(ct),
            await db.Participants.Include(p => p.Contact).Include(p => p.Anchors).Include(p => p.Cohort).Where(p => p.StudyId == study.Id).AsSplitQuery().ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, ct),
            options?.CreateCohorts == true);
        var entries = new List<RosterEntry>();
        foreach (var row in rows)
        {
            if (RosterRules.CheckRow(row, context, problems) is { } entry)
            {
                entries.Add(entry);
            }
        }
        RosterRules.CheckDuplicates(entries, context.Existing.Values, problems);
        if (rows.Count == 0)
        {
            problems.Add(new CsvProblem(2, "row", "the file holds a header but no participants"));
        }
        if (problems.Count > 0)
        {
            return ParticipantImportResult.Failed([.. problems.OrderBy(p => p.Line)]);
        }

        var changes = new List<string>();
        var cohorts = CreateMissingCohorts(study.Id, entries, context.Cohorts, changes);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = LocalToday(study.TimeZone);
        int created = 0, updated = 0, unchanged = 0;
        foreach (var entry in entries)
        {
            var cohort = entry.Cohort is null ? null : cohorts[entry.Cohort];
            if (!context.Existing.TryGetValue(entry.Code, out var participant))
            {
                db.Participants.Add(RosterChanges.Create(study.Id, entry, cohort, today, now));
                created++;
            }
            else if (RosterChanges.Apply(participant, entry, cohort, now, changes))
            {
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        if (created > 0)
        {
            changes.Insert(0, $"{created} participant(s) enrolled");
        }
        AuditLog.Add(db, clock, actor, "participants.import", study.Id, "study", study.Code, new { created, updated, unchanged });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ParticipantImportResult([], created, updated, unchanged, changes);
    }

    private Dictionary<string, Cohort> CreateMissingCohorts(int studyId, List<RosterEntry> entries, List<Cohort> cohorts, List<string> changes)
    {
        var byCode = cohorts.ToDictionary(c => c.Code, StringComparer.Ordinal);
        foreach (var code in entries.Select(e => e.Cohort).OfType<string>().Distinct().Where(c => !byCode.ContainsKey(c)))
        {
            var cohort = new Cohort { StudyId = studyId, Code = code, Name = code };
            db.Cohorts.Add(cohort);
            byCode[code] = cohort;
            changes.Add($"cohort '{code}' created (it has no dates of its own; its participants' anchor columns give them)");
        }
        return byCode;
    }

    /// <summary>Enrollment day in the study's time zone, so that a late-evening import counts for the local date.</summary>
    private DateOnly LocalToday(string timeZone) =>
        Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb[timeZone]).Date.ToDateOnly();
}
