namespace RecoveryStudy.Exports;

/// <summary>A table of an export: its columns, the waves it reads, and its rows for one participant.</summary>
public abstract class ExportTable(StudyLayout layout, bool completeOnly)
{
    protected StudyLayout Layout { get; } = layout;
    protected bool CompleteOnly { get; } = completeOnly;

    public abstract string Name { get; }
    public abstract IReadOnlyList<ExportColumn> Columns { get; }
    public abstract IReadOnlyList<LayoutWave> Waves { get; }

    public abstract IEnumerable<string?[]> RowsFor(ParticipantRecord participant);

    protected static bool IsComplete(WaveRecord? wave) => wave?.Status == Data.InvitationStatus.Completed;
}
