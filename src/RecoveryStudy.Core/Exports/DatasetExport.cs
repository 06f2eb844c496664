using Npgsql;

namespace RecoveryStudy.Exports;

public static class TableKind
{
    public const string Long = "long";
    public const string Wide = "wide";
    public const string WideAcross = "wide-across";
    public static readonly string[] All = [Long, Wide, WideAcross];
}

/// <summary>What to export: a table kind, an optional wave, and which participants.</summary>
public sealed record ExportRequest(string Table, string? Wave = null, string? Cohort = null, string? Role = null, bool CompleteOnly = false)
{
    public ParticipantFilter Filter => new(Cohort, Role);
}

public sealed record ExportProgress(int Participants, long Rows);

/// <summary>Builds the table an export asks for and streams its rows into a writer.</summary>
public static class DatasetExport
{
    /// <summary>The table, or an error message naming the option at fault.</summary>
    public static (ExportTable? Table, string? Error) CreateTable(StudyLayout layout, ExportRequest request)
    {
        LayoutWave? wave = null;
        if (request.Wave is not null && (wave = layout.Wave(request.Wave)) is null)
        {
            return (null, $"--wave: the study has no wave '{request.Wave}' (waves: {string.Join(", ", layout.Waves.Select(w => w.Code))})");
        }
        return request.Table switch
        {
            TableKind.Long => (new LongTable(layout, wave is null ? layout.Waves : [wave], request.CompleteOnly), null),
            TableKind.Wide when wave is null => (null, "--wave: the wide table is per wave; name the wave"),
            TableKind.Wide => (new WideTable(layout, wave!, request.CompleteOnly), null),
            TableKind.WideAcross when wave is not null => (null, "--wave: the wide-across table holds every wave; leave --wave out"),
            TableKind.WideAcross => (new WideAcrossTable(layout, request.CompleteOnly), null),
            _ => (null, $"--format: must be one of {string.Join(", ", TableKind.All)}"),
        };
    }

    public static async Task<ExportProgress> WriteAsync(
        NpgsqlDataSource dataSource, StudyLayout layout, ExportTable table, ParticipantFilter filter,
        ITableWriter writer, IProgress<ExportProgress>? progress, CancellationToken ct)
    {
        await writer.WriteHeaderAsync(table.Columns, ct);
        var participants = 0;
        long rows = 0;
        await foreach (var participant in ParticipantRecords.ReadAsync(dataSource, layout.StudyId, table.Waves.Select(w => w.Id), filter, ct))
        {
            var wrote = false;
            foreach (var row in table.RowsFor(participant))
            {
                await writer.WriteRowAsync(row, ct);
                rows++;
                wrote = true;
            }
            if (wrote && ++participants % 1000 == 0)
            {
                progress?.Report(new ExportProgress(participants, rows));
            }
        }
        await writer.CompleteAsync(ct);
        var done = new ExportProgress(participants, rows);
        progress?.Report(done);
        return done;
    }
}
