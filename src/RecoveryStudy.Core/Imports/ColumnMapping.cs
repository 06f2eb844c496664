using System.Globalization;
using System.Text.Json;

namespace RecoveryStudy.Imports;

/// <summary>
/// A mapping file for an answer import: which source column holds the participant code, which the
/// completion time, which item each source column answers, and optionally, per item, the code each
/// source text stands for ("Strongly agree" -> 5). JSON:
/// <c>{"participant": "ID", "completed_at": "End", "columns": {"Q1": "wb1"}, "recode": {"wb1": {"Never": 0}}}</c>.
/// Source columns the mapping does not name are ignored. Problems in the mapping itself are
/// reported with the file's name and the JSON path of the entry at fault.
/// </summary>
public sealed class ColumnMapping
{
    private static readonly string[] Properties = ["participant", "completed_at", "due_date", "columns", "recode"];

    private ColumnMapping(string file) => File = file;

    public string File { get; }
    public string Participant { get; private set; } = "participant";
    public string? CompletedAt { get; private set; }
    public string? DueDate { get; private set; }

    /// <summary>Source column -> item code, in the file's order.</summary>
    public List<(string Source, string Item)> Columns { get; } = [];

    /// <summary>Item code -> (source text -> code), texts compared without regard to case.</summary>
    public Dictionary<string, Dictionary<string, int>> Recode { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the file's JSON; the mapping, or the problems with its structure.</summary>
    public static (ColumnMapping? Mapping, List<ImportError> Errors) Parse(string file, string json)
    {
        var mapping = new ColumnMapping(file);
        var errors = new List<ImportError>();
        void Error(string path, string kind, string message) => errors.Add(new ImportError(0, path, kind, message, file));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            errors.Add(new ImportError((int)(e.LineNumber ?? 0) + 1, $"byte {(e.BytePositionInLine ?? 0) + 1}", "mapping_json", "not valid JSON", file));
            return (null, errors);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "mapping_structure", "the mapping must be a JSON object");
                return (null, errors);
            }
            foreach (var property in root.EnumerateObject().Where(p => !Properties.Contains(p.Name, StringComparer.Ordinal)))
            {
                Error($"$.{property.Name}", "mapping_structure", $"unknown entry; the mapping has {string.Join(", ", Properties)}");
            }
            if (root.TryGetProperty("participant", out var participant))
            {
                mapping.Participant = Text(participant, "$.participant", Error) ?? mapping.Participant;
            }
            if (root.TryGetProperty("completed_at", out var completed))
            {
                mapping.CompletedAt = Text(completed, "$.completed_at", Error);
            }
            if (root.TryGetProperty("due_date", out var due))
            {
                mapping.DueDate = Text(due, "$.due_date", Error);
            }
            if (!root.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Object)
            {
                Error("$.columns", "mapping_structure", "an object from source column names to item codes is required");
            }
            else
            {
                var seenSources = new HashSet<string>(StringComparer.Ordinal);
                foreach (var column in columns.EnumerateObject())
                {
                    var path = $"$.columns[\"{column.Name}\"]";
                    if (!seenSources.Add(column.Name))
                    {
                        Error(path, "mapping_duplicate_source", $"source column '{column.Name}' is mapped twice");
                    }
                    else if (Text(column.Value, path, Error) is { } item)
                    {
                        mapping.Columns.Add((column.Name, item));
                    }
                }
            }
            if (root.TryGetProperty("recode", out var recode))
            {
                ReadRecode(mapping, recode, Error);
            }
        }
        return (errors.Count == 0 ? mapping : null, errors);
    }

    /// <summary>Checks the mapping against the instrument's item codes and the CSV's header.</summary>
    public List<ImportError> Check(IReadOnlyCollection<string> itemCodes, string instrumentDescription, string[] header)
    {
        var errors = new List<ImportError>();
        void Error(string path, string kind, string message) => errors.Add(new ImportError(0, path, kind, message, File));
        void Source(string path, string name)
        {
            if (!header.Contains(name, StringComparer.Ordinal))
            {
                Error(path, "mapping_missing_source", $"the CSV has no column '{name}'");
            }
        }
        Source("$.participant", Participant);
        if (CompletedAt is not null)
        {
            Source("$.completed_at", CompletedAt);
        }
        if (DueDate is not null)
        {
            Source("$.due_date", DueDate);
        }
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, item) in Columns)
        {
            var path = $"$.columns[\"{source}\"]";
            Source(path, source);
            if (!itemCodes.Contains(item))
            {
                Error(path, "mapping_unknown_item", $"'{item}' is not an item of {instrumentDescription}");
            }
            else if (!targets.TryAdd(item, source))
            {
                Error(path, "mapping_duplicate_target", $"item '{item}' is already the target of column '{targets[item]}'");
            }
        }
        foreach (var item in Recode.Keys.Where(i => !targets.ContainsKey(i)))
        {
            Error($"$.recode[\"{item}\"]", "mapping_unknown_item", $"'{item}' is not the target of any column in $.columns");
        }
        return errors;
    }

    /// <summary>
    /// The CSV as the import reads it without a mapping: a header of participant, completed_at and
    /// item codes, values recoded. Lines with the wrong number of fields are reported here.
    /// </summary>
    public (List<CsvRecord> Records, List<ImportError> Errors) Apply(List<CsvRecord> records)
    {
        var header = records[0].Fields.Select(f => f.Trim()).ToArray();
        var sources = new List<(int Index, string Target)> { (Array.IndexOf(header, Participant), "participant") };
        if (CompletedAt is not null)
        {
            sources.Add((Array.IndexOf(header, CompletedAt), "completed_at"));
        }
        if (DueDate is not null)
        {
            sources.Add((Array.IndexOf(header, DueDate), "due_date"));
        }
        sources.AddRange(Columns.Select(c => (Array.IndexOf(header, c.Source), c.Item)));
        var translated = new List<CsvRecord> { new(records[0].Line, [.. sources.Select(s => s.Target)]) };
        var errors = new List<ImportError>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Length != header.Length)
            {
                errors.Add(new ImportError(record.Line, "", "field_count", $"{record.Fields.Length} fields where the header has {header.Length}"));
                continue;
            }
            var fields = new string[sources.Count];
            for (var i = 0; i < sources.Count; i++)
            {
                var (index, target) = sources[i];
                var value = record.Fields[index].Trim();
                if (Recode.TryGetValue(target, out var codes) && value.Length > 0)
                {
                    value = RecodeValue(value, codes, out var unknown);
                    if (unknown)
                    {
                        errors.Add(new ImportError(record.Line, SourceOf(target), "unmapped_value", $"a value that is neither a code nor in $.recode[\"{target}\"] of {File}"));
                    }
                }
                fields[i] = value;
            }
            translated.Add(new CsvRecord(record.Line, fields));
        }
        return (translated, errors);
    }

    /// <summary>The source column an item's errors should name, with the item: "Q1 (wb1)".</summary>
    public string SourceOf(string target) =>
        target == "participant" ? Participant
        : target == "completed_at" && CompletedAt is not null ? CompletedAt
        : target == "due_date" && DueDate is not null ? DueDate
        : Columns.FirstOrDefault(c => c.Item == target) is { Source: { } source } ? $"{source} ({target})"
        : target;

    private static string RecodeValue(string value, Dictionary<string, int> codes, out bool unknown)
    {
        unknown = false;
        var parts = value.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (codes.TryGetValue(part, out var code))
            {
                parts[i] = code.ToString(CultureInfo.InvariantCulture);
            }
            else if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                unknown = true;
            }
        }
        return string.Join(';', parts);
    }

    private static void ReadRecode(ColumnMapping mapping, JsonElement recode, Action<string, string, string> error)
    {
        if (recode.ValueKind != JsonValueKind.Object)
        {
            error("$.recode", "mapping_structure", "an object from item codes to {\"source text\": code} is required");
            return;
        }
        foreach (var item in recode.EnumerateObject())
        {
            var path = $"$.recode[\"{item.Name}\"]";
            if (item.Value.ValueKind != JsonValueKind.Object)
            {
                error(path, "mapping_structure", "an object from source texts to codes is required");
                continue;
            }
            var codes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var text in item.Value.EnumerateObject())
            {
                var textPath = $"{path}[\"{text.Name}\"]";
                if (text.Value.ValueKind != JsonValueKind.Number || !text.Value.TryGetInt32(out var code))
                {
                    error(textPath, "mapping_bad_code", "the code must be a whole number");
                }
                else if (!codes.TryAdd(text.Name.Trim(), code))
                {
                    error(textPath, "mapping_duplicate_source", $"'{text.Name}' is recoded twice");
                }
            }
            if (!mapping.Recode.TryAdd(item.Name, codes))
            {
                error(path, "mapping_duplicate_target", $"item '{item.Name}' has two recode tables");
            }
        }
    }

    private static string? Text(JsonElement value, string path, Action<string, string, string> error)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text.Trim();
        }
        error(path, "mapping_structure", "a non-empty text is required");
        return null;
    }
}
