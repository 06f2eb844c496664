using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// The columns one wave contributes to a wide table (invitation status and dates, each
/// instrument's version and source, its items and scores) and their cells for one participant.
/// Wide per wave uses it without a suffix, wide across waves with "__wave".
/// </summary>
internal sealed class WaveBlock
{
    private readonly LayoutWave wave;
    private readonly string suffix;
    private readonly List<Func<ParticipantRecord, WaveRecord?, Dictionary<int, InstrumentAnswers>, string?>> cells = [];

    public WaveBlock(LayoutWave wave, string suffix)
    {
        this.wave = wave;
        this.suffix = suffix;
        var w = wave.Code;
        Add(ExportColumn.Text("invitation_status", $"Invitation status at {w}"), (_, rec, _) => rec?.Status ?? "not_invited");
        Add(ExportColumn.Date("due_date", $"Due date at {w}"), (_, rec, _) => Cells.Date(rec?.DueDate));
        Add(ExportColumn.Timestamp("sent_at", $"Invitation sent at {w} (UTC)"), (_, rec, _) => Cells.Timestamp(rec?.SentAt));
        Add(ExportColumn.Timestamp("completed_at", $"Completed at {w} (UTC)"), (_, rec, _) => Cells.Timestamp(rec?.CompletedAt));
        var duplicates = wave.Instruments.SelectMany(i => i.Items.Select(x => x.Code).Concat(i.Scores.Select(s => s.Code)))
            .GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var instrument in wave.Instruments)
        {
            AddInstrument(instrument, duplicates);
        }
    }

    public List<ExportColumn> Columns { get; } = [];

    public IEnumerable<string?> RowCells(ParticipantRecord participant)
    {
        var record = participant.Waves.GetValueOrDefault(wave.Id);
        var answers = new Dictionary<int, InstrumentAnswers>();
        foreach (var instrument in wave.Instruments)
        {
            answers[instrument.Id] = new InstrumentAnswers(participant, record, instrument);
        }
        return cells.Select(cell => cell(participant, record, answers));
    }

    private void AddInstrument(LayoutInstrument instrument, HashSet<string> duplicates)
    {
        var id = instrument.Id;
        string Name(string code) => duplicates.Contains(code) ? $"{instrument.Code}_{code}" : code;
        Add(new ExportColumn($"{instrument.Code}_version", $"{instrument.Title}: version answered", ColumnType.Numeric, MissingCode.Labels, instrument.Code, null, wave.Code, true),
            (_, _, a) => a[id].Response is null ? Cells.Number(a[id].InstrumentLevelReason() ?? MissingCode.InstrumentNotAnswered) : Cells.Number(a[id].Version!.Number));
        Add(new ExportColumn($"{instrument.Code}_source", $"{instrument.Title}: web or import", ColumnType.Text, [], instrument.Code, null, wave.Code),
            (_, _, a) => a[id].Response?.Source);
        foreach (var item in instrument.Items.Where(i => i.HasData))
        {
            var versions = instrument.VersionsHaving(item.Code);
            var code = item.Code;
            if (item.Type == ItemType.MultipleChoice)
            {
                foreach (var option in item.Options)
                {
                    var optionCode = option.Code;
                    Add(new ExportColumn($"{Name(code)}_{optionCode}", $"{item.Label}: {option.Label}", ColumnType.Numeric,
                            [new(0, "not chosen"), new(1, "chosen"), .. MissingCode.Labels], instrument.Code, versions, wave.Code, true, item.Type, ShownIf: Describe.ShownIf(item)),
                        (_, _, a) => a[id].Answer(code, out var missing) is { } answer
                            ? (answer.Codes ?? []).Contains(optionCode) ? "1" : "0"
                            : Cells.Number(missing));
                }
            }
            else if (item.IsNumeric)
            {
                Add(new ExportColumn(Name(code), item.Label, ColumnType.Numeric, [.. item.Options, .. MissingCode.Labels], instrument.Code, versions, wave.Code, true, item.Type,
                        item.Rating, Describe.ShownIf(item)),
                    (_, _, a) => a[id].Numeric(code, out var missing) is { } value ? Cells.Number(value) : Cells.Number(missing));
            }
            else
            {
                var type = item.Type == ItemType.Date ? ColumnType.Date : ColumnType.Text;
                Add(new ExportColumn(Name(code), item.Label, type, [], instrument.Code, versions, wave.Code, ItemType: item.Type, ShownIf: Describe.ShownIf(item)),
                    (_, _, a) => a[id].Answer(code, out _) is { } answer ? answer.DateValue is { } d ? Cells.Date(d) : Cells.Text(answer.TextValue) : null);
            }
        }
        foreach (var score in instrument.Scores)
        {
            var scoreCode = score.Code;
            Add(new ExportColumn(Name(scoreCode), $"{score.Label} (score: {score.Method})", ColumnType.Numeric, MissingCode.Labels, instrument.Code, instrument.VersionsHaving(scoreCode), wave.Code, true,
                    ComputedAs: Describe.Score(score)),
                (_, _, a) => a[id].Version?.Scores.FirstOrDefault(s => s.Code == scoreCode) is { } s
                    ? a[id].Score(s, out var missing) is { } value ? Cells.Number(value) : Cells.Number(missing)
                    : Cells.Number(a[id].InstrumentLevelReason() ?? MissingCode.NotInVersion));
        }
    }

    private void Add(ExportColumn column, Func<ParticipantRecord, WaveRecord?, Dictionary<int, InstrumentAnswers>, string?> cell)
    {
        Columns.Add(column with { Name = column.Name + suffix, Wave = wave.Code });
        cells.Add(cell);
    }
}
