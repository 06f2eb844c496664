using RecoveryStudy.Instruments;

namespace RecoveryStudy.Exports;

public enum ColumnType
{
    Numeric,
    Text,
    Date,
    DateTime,
}

/// <summary>
/// One column of an exported table, with what the codebook, the R script, the SPSS syntax, the
/// Stata do-file and the Parquet metadata say about it. <see cref="HasMissingCodes"/> marks numeric
/// columns that carry <see cref="MissingCode"/>s; <see cref="ItemType"/> is the item's type for item
/// columns ("rating", "single_choice", ...); <see cref="Scale"/> a rating's points (every one a valid
/// value, <see cref="ValueLabels"/> naming some); <see cref="ShownIf"/> an item's condition and
/// <see cref="ComputedAs"/> a score's definition, in words.
/// </summary>
public sealed record ExportColumn(
    string Name,
    string Label,
    ColumnType Type,
    IReadOnlyList<ValueLabel> ValueLabels,
    string? Instrument = null,
    string? InstrumentVersions = null,
    string? Wave = null,
    bool HasMissingCodes = false,
    string? ItemType = null,
    RatingScale? Scale = null,
    string? ShownIf = null,
    string? ComputedAs = null)
{
    /// <summary>The value labels of real values (not the missing-reason codes).</summary>
    public IEnumerable<ValueLabel> ValueCodes => ValueLabels.Where(v => v.Code >= 0 || !HasMissingCodes);

    public static ExportColumn Text(string name, string label) => new(name, label, ColumnType.Text, []);

    public static ExportColumn Date(string name, string label) => new(name, label, ColumnType.Date, []);

    public static ExportColumn Timestamp(string name, string label) => new(name, label, ColumnType.DateTime, []);

    public static ExportColumn Number(string name, string label) => new(name, label, ColumnType.Numeric, []);
}
