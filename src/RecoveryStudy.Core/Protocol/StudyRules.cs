using System.Globalization;

namespace RecoveryStudy.Protocol;

/// <summary>Cross-reference checks of the study settings, roles, anchors and cohorts.</summary>
internal static class StudyRules
{
    public static void Check(ProtocolDocument protocol, JsonChecks c)
    {
        Unique(protocol.Roles.Select(r => r.Code), "$.roles", c);
        Unique(protocol.Anchors.Select(a => a.Code), "$.anchors", c);
        Unique((protocol.Cohorts ?? []).Select(x => x.Code), "$.cohorts", c);
        var anchors = protocol.Anchors.Select(a => a.Code).ToHashSet();
        for (var i = 0; i < (protocol.Cohorts?.Count ?? 0); i++)
        {
            foreach (var name in protocol.Cohorts![i].Anchors?.Keys ?? Enumerable.Empty<string>())
            {
                if (!anchors.Contains(name))
                {
                    c.Add($"$.cohorts[{i}].anchors.{name}", $"unknown anchor '{name}'; declared anchors: {string.Join(", ", anchors)}");
                }
            }
        }
        var sending = protocol.Study.Sending;
        if (Time(sending.HoursFrom) is { } from && Time(sending.HoursTo) is { } to && Time(sending.SendTime) is { } send)
        {
            if (from >= to)
            {
                c.Add("$.study.sending.hours_to", "must be later than hours_from");
            }
            else if (send < from || send >= to)
            {
                c.Add("$.study.sending.send_time", $"must lie within the sending hours {sending.HoursFrom}-{sending.HoursTo}");
            }
        }
        Unique(sending.Days, "$.study.sending.days", c, "");
    }

    /// <summary>Reports the second and later use of a code in a list, naming where it was first used.</summary>
    public static void Unique(IEnumerable<string> codes, string path, JsonChecks c, string suffix = ".code")
    {
        var seen = new Dictionary<string, int>();
        var index = 0;
        foreach (var code in codes)
        {
            if (code.Length > 0 && !seen.TryAdd(code, index))
            {
                c.Add($"{path}[{index}]{suffix}", $"'{code}' is already used by {path}[{seen[code]}]");
            }
            index++;
        }
    }

    private static TimeOnly? Time(string value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}
