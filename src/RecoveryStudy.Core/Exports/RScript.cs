using System.Globalization;
using System.Text;
using RecoveryStudy.Data;

namespace RecoveryStudy.Exports;

/// <summary>
/// An R script that reads a table's CSV with the right column types, keeps the reason for each
/// missing value in <c>why_missing</c>, sets missing-reason codes to NA, turns choices into
/// labelled factors (ratings stay numeric and get a factor twin named <c>name_f</c>) and
/// attaches variable labels as the "label" attribute. Base R only.
/// </summary>
public static class RScript
{
    public static string For(ExportTable table, bool rawText = false)
    {
        var r = new StringBuilder();
        var file = table.Name + ".csv";
        r.Append("# Reads ").Append(file).Append(" (written by RecoveryStudy) and applies its codebook.\n");
        r.Append("# Usage: Rscript ").Append(table.Name).Append(".R [path/to/").Append(file).Append("], or source() it in R.\n");
        if (!rawText)
        {
            r.Append("# In the CSV, ").Append(SpreadsheetText.Note).Append(".\n");
        }
        r.Append("args <- commandArgs(trailingOnly = TRUE)\n");
        r.Append("file <- if (length(args) >= 1) args[1] else ").Append(Str(file)).Append('\n');
        r.Append("col_types <- c(\n");
        r.AppendJoin(",\n", table.Columns.Select(c => $"  {Str(c.Name)} = {Str(c.Type == ColumnType.Numeric ? "numeric" : "character")}"));
        r.Append("\n)\n");
        r.Append("d <- read.csv(file, colClasses = col_types, na.strings = \"\", check.names = FALSE, encoding = \"UTF-8\", fileEncoding = \"UTF-8\")\n\n");

        r.Append("# Missing-reason codes: kept per variable in why_missing, then set to NA.\n");
        r.Append("missing_codes <- c(").AppendJoin(", ", MissingCode.Labels.Select(m => m.Code.ToString(CultureInfo.InvariantCulture))).Append(")\n");
        r.Append("missing_labels <- c(").AppendJoin(", ", MissingCode.Labels.Select(m => Str(m.Label))).Append(")\n");
        var coded = table.Columns.Where(c => c.HasMissingCodes).Select(c => Str(c.Name)).ToList();
        r.Append("coded <- c(").AppendJoin(",\n  ", coded).Append(")\n");
        r.Append("why_missing <- as.data.frame(lapply(d[coded], function(x) factor(ifelse(x %in% missing_codes, x, NA), levels = missing_codes, labels = missing_labels)), check.names = FALSE)\n");
        r.Append("for (v in coded) d[[v]][d[[v]] %in% missing_codes] <- NA\n\n");

        r.Append("# Value labels.\n");
        foreach (var c in table.Columns.Where(c => c.Type == ColumnType.Numeric && (c.Scale is not null || c.ValueCodes.Any())))
        {
            // A rating's factor has every point of its scale as a level (unlabelled points by their number), so no answer becomes NA.
            var values = c.Scale is { } scale
                ? scale.Points.Select(p => c.ValueCodes.FirstOrDefault(v => v.Code == p) ?? new ValueLabel(p, p.ToString(CultureInfo.InvariantCulture))).ToList()
                : c.ValueCodes.ToList();
            var factor = $"factor(d[[{Str(c.Name)}]], levels = c({string.Join(", ", values.Select(v => v.Code.ToString(CultureInfo.InvariantCulture)))}), labels = c({string.Join(", ", values.Select(v => Str(v.Label)))}))";
            var target = c.ItemType is ItemType.Rating or ItemType.Number ? c.Name + "_f" : c.Name;
            r.Append("d[[").Append(Str(target)).Append("]] <- ").Append(factor).Append('\n');
        }
        r.Append("\n# Variable labels.\n");
        r.Append("var_labels <- c(\n");
        r.AppendJoin(",\n", table.Columns.Select(c => $"  {Str(c.Name)} = {Str(c.Label)}"));
        r.Append("\n)\n");
        r.Append("for (v in names(var_labels)) attr(d[[v]], \"label\") <- var_labels[[v]]\n");
        return r.ToString();
    }

    /// <summary>An R string literal.</summary>
    public static string Str(string? value)
    {
        var s = new StringBuilder("\"");
        foreach (var ch in value ?? "")
        {
            s.Append(ch switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => ch.ToString(),
            });
        }
        return s.Append('"').ToString();
    }
}
