using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Brings the study's instruments in line with the protocol. An unchanged instrument is left
/// alone. A changed one whose newest version no response refers to yet is updated in place;
/// once responses refer to it, that version is frozen and a new version is created instead,
/// so stored answers keep pointing at the items they were given to. Participants always
/// answer the newest version.
/// </summary>
internal static class InstrumentImport
{
    public static async Task<Dictionary<string, int>> ApplyAsync(ImportDetails import, ProtocolDocument protocol, CancellationToken ct)
    {
        var db = import.Db;
        var instruments = await db.Instruments.Where(i => i.StudyId == import.StudyId).ToListAsync(ct);
        foreach (var definition in protocol.Instruments)
        {
            var instrument = instruments.FirstOrDefault(i => i.Code == definition.Code);
            if (instrument is null)
            {
                instrument = new Instrument { StudyId = import.StudyId, Code = definition.Code };
                instrument.Versions.Add(NewVersion(definition, 1, import.Now));
                db.Instruments.Add(instrument);
                import.Changes.Add($"instrument '{definition.Code}' added (version 1)");
                continue;
            }
            var latest = await db.InstrumentVersions
                .Include(v => v.Items).ThenInclude(i => i.Options).Include(v => v.Scores).AsSplitQuery()
                .Where(v => v.InstrumentId == instrument.Id).OrderByDescending(v => v.Version).FirstAsync(ct);
            if (latest.ContentHash == InstrumentMapping.Hash(definition))
            {
                continue;
            }
            if (await db.Responses.AnyAsync(r => r.InstrumentVersionId == latest.Id, ct))
            {
                db.InstrumentVersions.Add(NewVersion(definition, latest.Version + 1, import.Now, instrument.Id));
                import.Changes.Add($"instrument '{definition.Code}' changed: version {latest.Version} is frozen because answers refer to it, so version {latest.Version + 1} was created; those answers stay with version {latest.Version}");
            }
            else
            {
                db.Items.RemoveRange(latest.Items);
                db.Scores.RemoveRange(latest.Scores);
                await db.SaveChangesAsync(ct);
                InstrumentMapping.Fill(latest, definition);
                import.Changes.Add($"instrument '{definition.Code}' changed: version {latest.Version} had no answers yet and was updated in place");
            }
        }
        await db.SaveChangesAsync(ct);
        return await db.Instruments.Where(i => i.StudyId == import.StudyId).ToDictionaryAsync(i => i.Code, i => i.Id, ct);
    }

    /// <summary>Deletes instruments the protocol no longer has, unless answers refer to them (then they stay, unasked).</summary>
    public static async Task RemoveUnusedAsync(ImportDetails import, ProtocolDocument protocol, CancellationToken ct)
    {
        var db = import.Db;
        var declared = protocol.Instruments.Select(i => i.Code).ToList();
        var gone = await db.Instruments.Where(i => i.StudyId == import.StudyId && !declared.Contains(i.Code)).ToListAsync(ct);
        foreach (var instrument in gone)
        {
            if (await db.Responses.AnyAsync(r => r.InstrumentVersion!.InstrumentId == instrument.Id, ct))
            {
                import.Changes.Add($"instrument '{instrument.Code}' is no longer asked; it was kept because answers refer to it");
            }
            else
            {
                db.Instruments.Remove(instrument);
                import.Changes.Add($"instrument '{instrument.Code}' removed");
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static InstrumentVersion NewVersion(InstrumentDefinition definition, int number, DateTime now, int instrumentId = 0)
    {
        var version = new InstrumentVersion { InstrumentId = instrumentId, Version = number, ContentHash = "", CreatedAt = now };
        InstrumentMapping.Fill(version, definition);
        return version;
    }
}
