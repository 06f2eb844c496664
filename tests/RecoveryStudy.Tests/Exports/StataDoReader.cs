using System.Globalization;
using System.Text.RegularExpressions;

namespace RecoveryStudy.Tests.Exports;

/// <summary>
/// Reads a generated Stata do-file without Stata: checks every command against Stata's rules for
/// the subset it uses (names of at most 32 characters, compound quotes closed, each CSV column
/// read once, value-label sets defined before use, extended missing values .a-.z), and then applies
/// it to the exported CSV as Stata would, so a test can compare the values that come back.
/// </summary>
public sealed partial class StataDoReader
{
    public Dictionary<int, string> ColumnNames { get; } = [];
    public HashSet<int> NumericColumns { get; } = [];
    public Dictionary<string, string> VariableLabels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> Recodes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, string>> LabelSets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> ValueLabelSet { get; } = new(StringComparer.Ordinal);

    public static StataDoReader Parse(string doFile, int csvColumns)
    {
        var reader = new StataDoReader();
        var lineNumber = 0;
        foreach (var raw in doFile.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('*'))
            {
                continue;
            }
            reader.Command(line, lineNumber);
        }
        Assert.Equal(Enumerable.Range(1, csvColumns), reader.ColumnNames.Keys.Order());
        return reader;
    }

    /// <summary>A cell as Stata holds it after the do-file: the number, an extended missing value (".a"), or the text.</summary>
    public string? Value(string variable, string cell)
    {
        var column = ColumnNames.Single(c => c.Value == variable).Key;
        if (!NumericColumns.Contains(column))
        {
            return cell;
        }
        if (cell.Length == 0)
        {
            return ".";
        }
        var number = double.Parse(cell, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        return Recodes.TryGetValue(variable, out var recode) && recode.TryGetValue(number, out var missing) ? missing : number;
    }

    /// <summary>The label Stata shows for a value (a number or .a), or null.</summary>
    public string? Label(string variable, string value) =>
        ValueLabelSet.TryGetValue(variable, out var set) && LabelSets[set].TryGetValue(value, out var label) ? label : null;

    private void Command(string line, int number)
    {
        string Where() => $"line {number}: {line}";
        var strings = CompoundStrings(line, Where);
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "version" or "local" or "if":
                return;
            case "import":
                Assert.True(words[1] == "delimited", Where());
                var stringCols = Numbers(StringColsPattern().Match(line).Groups[1].Value);
                var numericCols = Numbers(NumericColsPattern().Match(line).Groups[1].Value);
                Assert.Empty(stringCols.Intersect(numericCols));
                NumericColumns.UnionWith(numericCols);
                Assert.Contains("varnames(nonames)", line);
                Assert.Contains("rowrange(2)", line);
                return;
            case "rename":
                var column = int.Parse(words[1][1..], CultureInfo.InvariantCulture);
                Name(words[2], Where);
                Assert.True(!ColumnNames.ContainsValue(words[2]) && ColumnNames.TryAdd(column, words[2]), Where());
                return;
            case "char":
                Assert.Matches(@"^[A-Za-z_][A-Za-z0-9_]{0,31}\[rs_name\]$", words[1]);
                Assert.Single(strings);
                return;
            case "label" when words[1] == "variable":
                Known(words[2], Where);
                var label = Assert.Single(strings);
                Assert.True(label.Length <= 80, Where());
                VariableLabels[words[2]] = label;
                return;
            case "label" when words[1] == "define":
                Name(words[2], Where);
                var values = LabelValuesPattern().Matches(line[(line.IndexOf(words[2], StringComparison.Ordinal) + words[2].Length)..]).Select(m => m.Groups[1].Value).ToList();
                Assert.Equal(strings.Count, values.Count);
                Assert.True(LabelSets.TryAdd(words[2], values.Zip(strings).ToDictionary(x => x.First, x => x.Second)), Where());
                return;
            case "label" when words[1] == "values":
                Known(words[2], Where);
                Assert.True(LabelSets.ContainsKey(words[3]), $"label set used before it is defined: {Where()}");
                ValueLabelSet[words[2]] = words[3];
                return;
            case "mvdecode":
                var variable = words[1].TrimEnd(',');
                Known(variable, Where);
                Assert.Contains(ColumnNames.Single(c => c.Value == variable).Key, NumericColumns);
                var pairs = MissingPattern().Match(line).Groups[1].Value.Split(@" \ ").Select(p => p.Split('=')).ToList();
                Assert.All(pairs, p => Assert.Matches(@"^\.[a-z]$", p[1]));
                Recodes[variable] = pairs.ToDictionary(p => double.Parse(p[0], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture), p => p[1]);
                return;
            default:
                Assert.Fail($"not a command this do-file should use: {Where()}");
                return;
        }
    }

    private void Known(string name, Func<string> where) => Assert.True(ColumnNames.ContainsValue(name), $"unknown variable: {where()}");

    private static void Name(string name, Func<string> where) => Assert.True(NamePattern().IsMatch(name), $"not a Stata name: {where()}");

    private static List<int> Numbers(string list) => [.. list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))];

    /// <summary>The `"..."' strings of a line; each must close, and none may hold a compound-quote delimiter.</summary>
    private static List<string> CompoundStrings(string line, Func<string> where)
    {
        var found = new List<string>();
        var at = 0;
        while ((at = line.IndexOf("`\"", at, StringComparison.Ordinal)) >= 0)
        {
            var end = line.IndexOf("\"'", at + 2, StringComparison.Ordinal);
            Assert.True(end > at, $"compound quote not closed: {where()}");
            var text = line[(at + 2)..end];
            Assert.DoesNotContain("`\"", text);
            if (!text.StartsWith('`'))
            {
                found.Add(text);
            }
            at = end + 2;
        }
        return found;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,31}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"stringcols\(([0-9 ]*)\)")]
    private static partial Regex StringColsPattern();

    [GeneratedRegex(@"numericcols\(([0-9 ]*)\)")]
    private static partial Regex NumericColsPattern();

    [GeneratedRegex(@"mv\(([^)]*)\)")]
    private static partial Regex MissingPattern();

    [GeneratedRegex(@"(-?[0-9]+|\.[a-z]) `""")]
    private static partial Regex LabelValuesPattern();
}
