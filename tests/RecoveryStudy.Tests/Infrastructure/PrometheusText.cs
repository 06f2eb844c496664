using System.Globalization;
using System.Text.RegularExpressions;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>Reads samples out of a /metrics answer (Prometheus' text format), for tests that check figures.</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The sum of the samples named <paramref name="name"/> whose labels include every one of
    /// <paramref name="labels"/> (other labels, such as the scope, may be present); null when none is.
    /// </summary>
    public static double? Value(string text, string name, params (string Key, string Value)[] labels)
    {
        double? sum = null;
        foreach (Match sample in Sample().Matches(text))
        {
            if (sample.Groups["name"].Value != name)
            {
                continue;
            }
            var found = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.All(l => found.TryGetValue(l.Key, out var value) && value == l.Value))
            {
                sum = (sum ?? 0) + double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
