using System.Text.Json;

namespace RecoveryStudy.Exports;

/// <summary>
/// The codebook carried inside a Parquet file, as key-value metadata under <see cref="Key"/>: per
/// column its label, type, item type, rating scale (min and max: every whole number between is a
/// value), value labels and missing-reason codes. pyarrow reads it with
/// <c>json.loads(pq.read_metadata(f).metadata[b"recoverystudy.codebook"])</c>.
/// </summary>
public static class ParquetMetadata
{
    public const string Key = "recoverystudy.codebook";

    public static Dictionary<string, string> For(IReadOnlyList<ExportColumn> columns) => new(StringComparer.Ordinal)
    {
        [Key] = JsonSerializer.Serialize(columns.Select(c => new
        {
            name = c.Name,
            label = c.Label,
            type = Codebook.TypeName(c.Type),
            item_type = c.ItemType,
            scale = c.Scale is { } s ? new { min = s.Min, max = s.Max } : null,
            value_labels = c.ValueCodes.Select(v => new { code = v.Code, label = v.Label }),
            missing_codes = c.HasMissingCodes ? MissingCode.Labels.Select(m => new { code = m.Code, label = m.Label }) : null,
        })),
    };
}
