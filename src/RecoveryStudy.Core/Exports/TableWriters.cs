using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace RecoveryStudy.Exports;

/// <summary>Where an export's rows go: CSV or Parquet, written as they arrive.</summary>
public interface ITableWriter : IAsyncDisposable
{
    Task WriteHeaderAsync(IReadOnlyList<ExportColumn> columns, CancellationToken ct);

    Task WriteRowAsync(string?[] cells, CancellationToken ct);

    Task CompleteAsync(CancellationToken ct);
}

/// <summary>
/// RFC 4180 CSV in UTF-8 without a byte-order mark, "\n" line endings on every platform, fields
/// quoted only when they hold a comma, quote or line break. Empty means missing. Text columns are
/// made safe for spreadsheets (<see cref="SpreadsheetText"/>) unless <paramref name="rawText"/>.
/// </summary>
public sealed class CsvTableWriter(Stream stream, bool rawText = false) : ITableWriter
{
    private readonly StreamWriter writer = new(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    private readonly StringBuilder line = new();
    private bool[] neutralise = [];

    public async Task WriteHeaderAsync(IReadOnlyList<ExportColumn> columns, CancellationToken ct)
    {
        await WriteRowAsync([.. columns.Select(c => c.Name)], ct);
        neutralise = [.. columns.Select(c => !rawText && c.Type == ColumnType.Text)];
    }

    public async Task WriteRowAsync(string?[] cells, CancellationToken ct)
    {
        line.Clear();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            line.Append(Quote(i < neutralise.Length && neutralise[i] ? SpreadsheetText.Neutralise(cells[i]) : cells[i]));
        }
        line.Append('\n');
        // Asynchronous writes: an HTTP response body refuses synchronous I/O.
        await writer.WriteAsync(line, ct);
    }

    public async Task CompleteAsync(CancellationToken ct) => await writer.FlushAsync(ct);

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    public static string Quote(string? value) =>
        value is null ? ""
        : value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}

/// <summary>
/// Parquet with the same columns and values as the CSV: numeric columns as nullable doubles
/// (missing-reason codes included), everything else as UTF-8 strings. Rows are buffered into row
/// groups of <see cref="RowGroupSize"/>, so memory stays bounded whatever the export's size.
/// </summary>
public sealed class ParquetTableWriter(Stream stream) : ITableWriter
{
    public const int RowGroupSize = 10_000;
    private readonly List<string?[]> buffer = [];
    private ParquetWriter? writer;
    private DataField[] fields = [];
    private ExportColumn[] columns = [];

    public async Task WriteHeaderAsync(IReadOnlyList<ExportColumn> exportColumns, CancellationToken ct)
    {
        columns = [.. exportColumns];
        fields = [.. columns.Select(c => c.Type == ColumnType.Numeric ? (DataField)new DataField<double?>(c.Name) : new DataField<string>(c.Name, true))];
        writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: ct);
        writer.CustomMetadata = ParquetMetadata.For(columns);
    }

    public async Task WriteRowAsync(string?[] cells, CancellationToken ct)
    {
        buffer.Add(cells);
        if (buffer.Count >= RowGroupSize)
        {
            await FlushAsync(ct);
        }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        if (writer is not null)
        {
            await writer.DisposeAsync();
            writer = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (writer is not null)
        {
            await writer.DisposeAsync();
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (buffer.Count == 0 || writer is null)
        {
            return;
        }
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            if (columns[c].Type == ColumnType.Numeric)
            {
                var values = buffer.Select(row => row[c] is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : (double?)null).ToArray();
                await group.WriteAsync<double>(fields[c], values.AsMemory(), null, null, ct);
            }
            else
            {
                await group.WriteAsync(fields[c], buffer.Select(row => row[c]).ToArray()!, null);
            }
        }
        buffer.Clear();
    }
}
