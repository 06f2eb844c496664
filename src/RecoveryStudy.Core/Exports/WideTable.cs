namespace RecoveryStudy.Exports;

/// <summary>Wide per wave: one row per participant, one column per item and score of the wave.</summary>
public sealed class WideTable : ExportTable
{
    private readonly LayoutWave wave;
    private readonly WaveBlock block;

    public WideTable(StudyLayout layout, LayoutWave wave, bool completeOnly) : base(layout, completeOnly)
    {
        this.wave = wave;
        block = new WaveBlock(wave, "");
        Columns = [.. ParticipantColumns.All, .. layout.Consent.Columns, .. block.Columns];
    }

    public override string Name => $"{Layout.StudyCode}_{wave.Code}_wide";
    public override IReadOnlyList<ExportColumn> Columns { get; }
    public override IReadOnlyList<LayoutWave> Waves => [wave];

    public override IEnumerable<string?[]> RowsFor(ParticipantRecord participant)
    {
        if (CompleteOnly && !IsComplete(participant.Waves.GetValueOrDefault(wave.Id)))
        {
            return [];
        }
        return [[.. ParticipantColumns.Cells(participant), .. Layout.Consent.Cells(participant), .. block.RowCells(participant)]];
    }
}

/// <summary>Wide across waves: one row per participant, columns item__wave for every wave.</summary>
public sealed class WideAcrossTable : ExportTable
{
    private readonly List<WaveBlock> blocks;

    public WideAcrossTable(StudyLayout layout, bool completeOnly) : base(layout, completeOnly)
    {
        blocks = [.. layout.Waves.Select(w => new WaveBlock(w, "__" + w.Code))];
        Columns = [.. ParticipantColumns.All, .. layout.Consent.Columns, .. blocks.SelectMany(b => b.Columns)];
    }

    public override string Name => $"{Layout.StudyCode}_wide_across";
    public override IReadOnlyList<ExportColumn> Columns { get; }
    public override IReadOnlyList<LayoutWave> Waves => Layout.Waves;

    public override IEnumerable<string?[]> RowsFor(ParticipantRecord participant)
    {
        if (CompleteOnly && !Layout.Waves.All(w => IsComplete(participant.Waves.GetValueOrDefault(w.Id))))
        {
            return [];
        }
        return [[.. ParticipantColumns.Cells(participant), .. Layout.Consent.Cells(participant), .. blocks.SelectMany(b => b.RowCells(participant))]];
    }
}

/// <summary>The columns that name a participant: a pseudonymous code, never an email or a name.</summary>
internal static class ParticipantColumns
{
    public static readonly IReadOnlyList<ExportColumn> All =
    [
        ExportColumn.Text("participant", "Participant code (pseudonymous)"),
        ExportColumn.Text("cohort", "Cohort code"),
        ExportColumn.Text("role", "Role"),
        ExportColumn.Text("participant_status", "Participant status (active, withdrawn, or erased: withdrawn and their data erased)"),
    ];

    public static string?[] Cells(ParticipantRecord p) => [p.Code, p.Cohort, p.Role, p.Status];
}
