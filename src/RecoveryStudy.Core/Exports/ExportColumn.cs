namespace RecoveryStudy.Exports;

public enum ColumnType
{
    Numeric,
    Text,
    Date,
    DateTime,
}

/// <summary>
/// One column of an exported table, with what the codebook, the R script and the SPSS syntax
/// say about it. <see cref="HasMissingCodes"/> marks numeric columns that carry <see cref="MissingCode"/>s;
/// <see cref="ItemType"/> is the item's type for item columns ("rating", "single_choice", ...).
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
    string? ItemType = null)
{
    public static ExportColumn Text(string name, string label) => new(name, label, ColumnType.Text, []);

    public static ExportColumn Date(string name, string label) => new(name, label, ColumnType.Date, []);

    public static ExportColumn Timestamp(string name, string label) => new(name, label, ColumnType.DateTime, []);

    public static ExportColumn Number(string name, string label) => new(name, label, ColumnType.Numeric, []);
}
