using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Exports;

/// <summary>
/// An item as the exports see it: one version's definition, labels in the layout's language.
/// <see cref="Options"/> are the labelled codes: a choice's options, a rating's labelled points
/// (lowest first), a yes/no's 1 = yes and 0 = no.
/// </summary>
public sealed record LayoutItem(
    int Id, string Code, string Type, string Label, decimal? Min, decimal? Max,
    IReadOnlyList<ValueLabel> Options, string? ShowIfItemCode, int[]? ShowIfCodes)
{
    public bool HasData => Type != ItemType.Section;

    public bool IsNumeric => Type is ItemType.Rating or ItemType.SingleChoice or ItemType.YesNo or ItemType.Number;

    /// <summary>The rating scale (every point from min to max), or null for other items.</summary>
    public RatingScale? Rating => RatingScale.Of(Type, Min, Max);

    /// <summary>
    /// The codes a report lists, each with its label or null: every point of a rating, lowest
    /// first; the options of a choice or yes/no in the protocol's order; nothing for other types.
    /// </summary>
    public IReadOnlyList<ScalePoint<string>> Points =>
        Rating is { } scale ? scale.Label(Options.Select(o => (o.Code, o.Label)))
        : Type is ItemType.SingleChoice or ItemType.YesNo or ItemType.MultipleChoice ? [.. Options.Select(o => new ScalePoint<string>(o.Code, o.Label))]
        : [];

    /// <summary>The ends of the item's scale, for reverse scoring: its bounds, else its lowest and highest option codes.</summary>
    public (decimal Min, decimal Max)? Ends =>
        Min is { } min && Max is { } max ? (min, max)
        : Options.Count > 0 ? (Options.Min(o => o.Code), Options.Max(o => o.Code))
        : null;
}

public sealed record LayoutScore(string Code, string Label, string Method, string[] ItemCodes, string[] ReverseItemCodes, int MinAnswered, decimal Multiplier);

public sealed record LayoutVersion(int Id, int Number, IReadOnlyList<LayoutItem> Items, IReadOnlyList<LayoutScore> Scores)
{
    public Dictionary<string, LayoutItem> ItemsByCode { get; } = Items.ToDictionary(i => i.Code, StringComparer.Ordinal);
}

/// <summary>
/// An instrument with all its versions. <see cref="Items"/> and <see cref="Scores"/> merge the
/// versions by code (items keep their code across versions): the newest version's order and
/// labels first, then codes that only older versions have.
/// </summary>
public sealed record LayoutInstrument(int Id, string Code, string Title, IReadOnlyList<LayoutVersion> Versions)
{
    public LayoutVersion Latest => Versions[^1];

    public IReadOnlyList<LayoutItem> Items { get; } = Merge(Versions, v => v.Items, i => i.Code);

    public IReadOnlyList<LayoutScore> Scores { get; } = Merge(Versions, v => v.Scores, s => s.Code);

    public string VersionsHaving(string code) =>
        string.Join(";", Versions.Where(v => v.ItemsByCode.ContainsKey(code) || v.Scores.Any(s => s.Code == code)).Select(v => v.Number));

    private static List<T> Merge<T>(IReadOnlyList<LayoutVersion> versions, Func<LayoutVersion, IEnumerable<T>> select, Func<T, string> code)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<T>();
        foreach (var version in versions.Reverse())
        {
            merged.AddRange(select(version).Where(x => seen.Add(code(x))));
        }
        return merged;
    }
}

public sealed record LayoutWave(int Id, string Code, string Title, IReadOnlyList<LayoutInstrument> Instruments);

/// <summary>What a study's datasets hold: its waves in order, each with its instruments in order.</summary>
public sealed class StudyLayout
{
    private StudyLayout(int studyId, string studyCode, IReadOnlyList<LayoutWave> waves)
    {
        StudyId = studyId;
        StudyCode = studyCode;
        Waves = waves;
        foreach (var instrument in waves.SelectMany(w => w.Instruments).DistinctBy(i => i.Id))
        {
            foreach (var version in instrument.Versions)
            {
                VersionsById[version.Id] = (instrument, version);
            }
        }
    }

    public int StudyId { get; }
    public string StudyCode { get; }
    public IReadOnlyList<LayoutWave> Waves { get; }
    public Dictionary<int, (LayoutInstrument Instrument, LayoutVersion Version)> VersionsById { get; } = [];

    /// <summary>The consent columns of every table; none when the study never asked consent.</summary>
    public ConsentColumns Consent { get; private init; } = ConsentColumns.None;

    public LayoutWave? Wave(string code) => Waves.FirstOrDefault(w => w.Code == code);

    /// <summary>Null when no study has this code. Labels in <paramref name="language"/> when the study has it, else its default language.</summary>
    public static async Task<StudyLayout?> LoadAsync(StudyDbContext db, string studyCode, CancellationToken ct, string? language = null)
    {
        var study = await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.Code == studyCode, ct);
        if (study is null)
        {
            return null;
        }
        language = language is not null && study.Languages.Contains(language, StringComparer.OrdinalIgnoreCase) ? language.ToLowerInvariant() : study.DefaultLanguage;
        var waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == study.Id).OrderBy(w => w.Position).ThenBy(w => w.Id)
            .Include(w => w.Instruments).ToListAsync(ct);
        var instruments = await db.Instruments.AsNoTracking().Where(i => i.StudyId == study.Id)
            .Include(i => i.Versions).ThenInclude(v => v.Items).ThenInclude(i => i.Options)
            .Include(i => i.Versions).ThenInclude(v => v.Scores)
            .AsSplitQuery().ToListAsync(ct);
        var byId = instruments.ToDictionary(i => i.Id, i => ToLayout(i, language));
        var layoutWaves = waves.Select(w => new LayoutWave(
            w.Id, w.Code, w.Title.For(language),
            [.. w.Instruments.OrderBy(wi => wi.Position).ThenBy(wi => wi.InstrumentId).Select(wi => byId[wi.InstrumentId])])).ToList();
        return new StudyLayout(study.Id, study.Code, layoutWaves)
        {
            Consent = await ConsentColumns.LoadAsync(db, study.Id, study.CurrentProtocolVersionId, language, ct),
        };
    }

    private static LayoutInstrument ToLayout(Instrument instrument, string language)
    {
        var versions = instrument.Versions.OrderBy(v => v.Version).Select(v => new LayoutVersion(
            v.Id, v.Version,
            [.. ItemLabels.Distinct(v.Items.OrderBy(i => i.Position).ThenBy(i => i.Id).ToList(), language).Select(x => new LayoutItem(
                x.Item.Id, x.Item.Code, x.Item.Type, x.Label, x.Item.Min, x.Item.Max, ItemLabels.Codes(x.Item, language),
                x.Item.ShowIfItemCode, x.Item.ShowIfCodes))],
            [.. v.Scores.OrderBy(s => s.Id).Select(s => new LayoutScore(
                s.Code, s.Label.For(language), s.Method, s.ItemCodes, s.ReverseItemCodes, s.MinAnswered, s.Multiplier))])).ToList();
        var title = versions.Count > 0 ? instrument.Versions.OrderBy(v => v.Version).Last().Title.For(language) : instrument.Code;
        return new LayoutInstrument(instrument.Id, instrument.Code, title, versions);
    }
}
