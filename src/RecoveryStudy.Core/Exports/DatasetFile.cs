using System.Text;
using Npgsql;

namespace RecoveryStudy.Exports;

/// <summary>
/// One file of an export, whoever asks for it (CLI, API, console): the table itself as CSV or
/// Parquet, or one of the documents that describe it (codebook CSV, R script, SPSS syntax, Stata do-file).
/// CSV text is made safe for spreadsheets unless <see cref="RawText"/>; Parquet is always as typed.
/// </summary>
public sealed record DatasetFile(ExportTable Table, string Content, bool Parquet, bool RawText = false)
{
    public const string TableContent = "table";
    public const string Codebook = "codebook";
    public const string R = "r";
    public const string Spss = "spss";
    public const string Stata = "stata";
    public static readonly string[] Documents = [Codebook, R, Spss, Stata];

    public bool IsTable => Content == TableContent;

    public string FileName => Table.Name + Content switch
    {
        Codebook => "_codebook.csv",
        R => ".R",
        Spss => ".sps",
        Stata => ".do",
        _ => Parquet ? ".parquet" : ".csv",
    };

    public string ContentType => Content switch
    {
        Codebook => "text/csv; charset=utf-8",
        R or Spss or Stata => "text/plain; charset=utf-8",
        _ => Parquet ? "application/vnd.apache.parquet" : "text/csv; charset=utf-8",
    };

    /// <summary>The file, or an error naming the option at fault ("--wave: ...").</summary>
    public static (DatasetFile? File, string? Error) Create(StudyLayout layout, ExportRequest request, string content, bool parquet, bool rawText = false)
    {
        if (content != TableContent && !Documents.Contains(content))
        {
            return (null, $"--format: must be one of {string.Join(", ", [.. TableKind.All, .. Documents])}");
        }
        if (parquet && content != TableContent)
        {
            return (null, "--parquet: only the table itself comes as Parquet; the codebook, R script, SPSS syntax and Stata do-file are text");
        }
        var (table, error) = DatasetExport.CreateTable(layout, request);
        return table is null ? (null, error) : (new DatasetFile(table, content, parquet, rawText), null);
    }

    /// <summary>Writes the file into the stream; the table's rows are streamed from the database.</summary>
    public async Task<ExportProgress> WriteAsync(
        NpgsqlDataSource dataSource, StudyLayout layout, ParticipantFilter filter, Stream stream, IProgress<ExportProgress>? progress, CancellationToken ct)
    {
        if (!IsTable)
        {
            var text = Content switch { Codebook => Exports.Codebook.Csv(Table, RawText), R => RScript.For(Table, RawText), Stata => StataDo.For(Table, RawText), _ => SpssSyntax.For(Table, RawText) };
            await stream.WriteAsync(new UTF8Encoding(false).GetBytes(text), ct);
            return new ExportProgress(0, Table.Columns.Count);
        }
        await using ITableWriter writer = Parquet ? new ParquetTableWriter(stream) : new CsvTableWriter(stream, RawText);
        return await DatasetExport.WriteAsync(dataSource, layout, Table, filter, writer, progress, ct);
    }
}
