using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>A version of one of a wave's instruments: what the participant pages need to pick and fetch it.</summary>
public sealed record WaveInstrumentVersion(int Id, int InstrumentId, int Version, string ContentHash);

/// <summary>
/// A wave's instruments in order and every version of each, as of one structure revision of the
/// wave. Shared by all requests: never changed once made.
/// </summary>
public sealed class WaveStructure
{
    public WaveStructure(long revision, IReadOnlyList<int> instrumentIds, IReadOnlyList<WaveInstrumentVersion> versions)
    {
        Revision = revision;
        InstrumentIds = instrumentIds;
        VersionsById = versions.ToDictionary(v => v.Id);
        Newest = versions.GroupBy(v => v.InstrumentId).ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!);
    }

    public long Revision { get; }

    /// <summary>The instruments the wave asks, in the wave's order.</summary>
    public IReadOnlyList<int> InstrumentIds { get; }

    public IReadOnlyDictionary<int, WaveInstrumentVersion> VersionsById { get; }

    /// <summary>Each instrument's newest version; an instrument with none is absent.</summary>
    public IReadOnlyDictionary<int, WaveInstrumentVersion> Newest { get; }
}

/// <summary>
/// Which instruments a wave asks and their versions, kept in memory so that a page view's state
/// read joins neither <c>wave_instruments</c> nor <c>instrument_versions</c>. The key is the
/// database, the wave and the wave's structure revision, which the database itself raises in the
/// transaction that changes the wave's instruments or any of their versions (triggers, whoever
/// writes), and which the page view reads with the invitation: after another node's protocol import
/// the next page view reads the new revision, misses, and loads again. Nothing is ever served for a
/// revision it was not read at.
/// </summary>
public static class WaveStructures
{
    // A study has a handful of waves; the bound only keeps a long-lived host with many test databases small.
    private const int MaxEntries = 2000;
    private static readonly BoundedCache<(string Database, int WaveId, long Revision), WaveStructure> Cache = new(MaxEntries);

    /// <summary>
    /// The wave's structure at <paramref name="revision"/> from the cache, else loaded in one
    /// statement (the revision read with it, so what is stored matches its key; if the wave moved on
    /// meanwhile, the newer structure is returned and stored under its own revision).
    /// </summary>
    public static async Task<WaveStructure> GetAsync(StudyDbContext db, int waveId, long revision, CancellationToken ct)
    {
        var database = CachedPerDatabase.Key(db);
        if (Cache.TryGetValue((database, waveId, revision), out var cached))
        {
            return cached;
        }
        var structure = await LoadAsync(db, waveId, ct);
        if (structure is null)
        {
            return new WaveStructure(revision, [], []);
        }
        Cache.Set((database, waveId, structure.Revision), structure);
        return structure;
    }

    // One statement, so the revision and the rows come from one snapshot: the wave's row, its
    // instruments and their versions (a few of each). Null when the wave is gone (deleted meanwhile).
    private static async Task<WaveStructure?> LoadAsync(StudyDbContext db, int waveId, CancellationToken ct)
    {
        var wave = await db.Waves.AsNoTracking().AsSingleQuery()
            .Where(w => w.Id == waveId)
            .Select(w => new
            {
                w.StructureRevision,
                Instruments = w.Instruments.OrderBy(wi => wi.Position).ThenBy(wi => wi.InstrumentId)
                    .Select(wi => new
                    {
                        wi.InstrumentId,
                        Versions = db.InstrumentVersions.Where(v => v.InstrumentId == wi.InstrumentId).OrderBy(v => v.Version)
                            .Select(v => new WaveInstrumentVersion(v.Id, v.InstrumentId, v.Version, v.ContentHash)).ToList(),
                    })
                    .ToList(),
            })
            .FirstOrDefaultAsync(ct);
        return wave is null
            ? null
            : new WaveStructure(wave.StructureRevision, [.. wave.Instruments.Select(i => i.InstrumentId)], [.. wave.Instruments.SelectMany(i => i.Versions)]);
    }
}
