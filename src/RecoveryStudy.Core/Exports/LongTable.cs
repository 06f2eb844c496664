using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// Long format: one row per participant, wave and item, for every wave the participant has an
/// invitation in (whatever its state), so that each missing value carries its reason. The
/// participant's consent columns (when the study asks consent) repeat on each of their rows, after the role.
/// </summary>
public sealed class LongTable : ExportTable
{
    private readonly IReadOnlyList<LayoutWave> waves;

    public LongTable(StudyLayout layout, IReadOnlyList<LayoutWave> waves, bool completeOnly) : base(layout, completeOnly)
    {
        this.waves = waves;
        Columns = [.. Leading, .. layout.Consent.Columns, .. Answer];
    }

    public override string Name => waves.Count == 1 ? $"{Layout.StudyCode}_{waves[0].Code}_long" : $"{Layout.StudyCode}_long";

    public override IReadOnlyList<LayoutWave> Waves => waves;

    public override IReadOnlyList<ExportColumn> Columns { get; }

    private static readonly ExportColumn[] Leading =
    [
        ExportColumn.Text("study", "Study code"),
        ExportColumn.Text("cohort", "Cohort code"),
        ExportColumn.Text("participant", "Participant code (pseudonymous)"),
        ExportColumn.Text("role", "Role"),
    ];

    private static readonly ExportColumn[] Answer =
    [
        ExportColumn.Text("wave", "Wave code"),
        ExportColumn.Text("instrument", "Instrument code"),
        ExportColumn.Number("instrument_version", "Instrument version answered (the newest when nothing was answered)"),
        ExportColumn.Text("item", "Item code"),
        ExportColumn.Number("value", "Numeric value: rating, option code or number"),
        ExportColumn.Text("value_label", "Label of the chosen option(s)"),
        ExportColumn.Text("text", "Text (line breaks as spaces), date (yyyy-mm-dd) or the codes of a multiple choice (separated by ;)"),
        new("missing", "Why the value is missing (empty when present)", ColumnType.Numeric, MissingCode.Labels, HasMissingCodes: true),
        ExportColumn.Text("source", "web or import"),
        ExportColumn.Timestamp("answered_at", "When the answer was saved (UTC)"),
    ];

    public override IEnumerable<string?[]> RowsFor(ParticipantRecord participant)
    {
        foreach (var wave in waves)
        {
            if (participant.Waves.GetValueOrDefault(wave.Id) is not { } record || CompleteOnly && !IsComplete(record))
            {
                continue;
            }
            foreach (var instrument in wave.Instruments)
            {
                var answers = new InstrumentAnswers(participant, record, instrument);
                if (answers.Version is not { } version)
                {
                    continue;
                }
                foreach (var item in version.Items.Where(i => i.HasData))
                {
                    yield return Row(participant, wave, instrument, version, item, answers);
                }
            }
        }
    }

    private string?[] Row(ParticipantRecord p, LayoutWave wave, LayoutInstrument instrument, LayoutVersion version, LayoutItem item, InstrumentAnswers answers)
    {
        var answer = answers.Answer(item.Code, out var missing);
        string? value = null, label = null, text = null;
        if (answer is not null)
        {
            if (item.Type == ItemType.MultipleChoice)
            {
                var codes = answer.Codes ?? [];
                text = string.Join(";", codes.Select(Cells.Number));
                label = string.Join("; ", codes.Select(c => item.Options.FirstOrDefault(o => o.Code == c)?.Label ?? Cells.Number(c)));
            }
            else if (item.IsNumeric)
            {
                var number = answers.Numeric(item.Code, out missing);
                value = number is { } n ? Cells.Number(n) : null;
                label = number is { } m && m == decimal.Truncate(m) ? item.Options.FirstOrDefault(o => o.Code == (int)m)?.Label : null;
            }
            else
            {
                text = answer.DateValue is { } d ? Cells.Date(d) : Cells.Text(answer.TextValue);
            }
        }
        return
        [
            Layout.StudyCode, p.Cohort, p.Code, p.Role, .. Layout.Consent.Cells(p), wave.Code, instrument.Code, Cells.Number(version.Number), item.Code,
            value, label, text, missing == 0 ? null : Cells.Number(missing), answers.Response?.Source, Cells.Timestamp(answer?.AnsweredAt),
        ];
    }
}
