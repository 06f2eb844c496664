using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Survey;

/// <summary>
/// The survey structure of instrument versions (instrument, items in order, options), kept in
/// memory: every page view needs it and it changes only when a protocol import changes a version.
/// The key is the database, the version id and the version's content hash as of the wave's
/// structure revision read with the invitation (<see cref="WaveStructures"/>), so a changed
/// version is loaded again, never served stale. The loaded objects are shared by all requests and
/// must not be changed.
/// </summary>
public static class SurveyStructures
{
    // A study has a handful of versions; the bound only keeps a long-lived host with many test databases small.
    private const int MaxEntries = 2000;
    private static readonly BoundedCache<(string Database, int VersionId, string Hash), InstrumentVersion> Cache = new(MaxEntries);

    /// <summary>The versions asked for, in the order asked; those not cached are loaded in one query.</summary>
    public static async Task<IReadOnlyList<InstrumentVersion>> GetAsync(StudyDbContext db, IReadOnlyList<(int Id, string Hash)> wanted, CancellationToken ct)
    {
        var database = CachedPerDatabase.Key(db);
        var missing = wanted.Where(w => !Cache.TryGetValue((database, w.Id, w.Hash), out _)).Select(w => w.Id).Distinct().ToArray();
        var fresh = new Dictionary<int, InstrumentVersion>();
        if (missing.Length > 0)
        {
            var loaded = await db.InstrumentVersions.AsNoTracking().Include(v => v.Instrument).Include(v => v.Items).ThenInclude(i => i.Options)
                .AsSingleQuery().Where(v => missing.Contains(v.Id)).ToListAsync(ct);
            foreach (var version in loaded)
            {
                version.Items = version.Items.OrderBy(i => i.Position).ToList();
                Cache.Set((database, version.Id, version.ContentHash), version);
                fresh[version.Id] = version;
            }
        }
        var versions = new List<InstrumentVersion>();
        foreach (var (id, hash) in wanted)
        {
            // A version changed between the two queries is keyed by its new hash: use what was loaded.
            if (fresh.TryGetValue(id, out var version) || Cache.TryGetValue((database, id, hash), out version))
            {
                versions.Add(version);
            }
        }
        return versions;
    }
}
