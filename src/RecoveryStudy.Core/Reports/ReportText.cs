using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RecoveryStudy.Exports;
using RecoveryStudy.Statistics;

namespace RecoveryStudy.Reports;

/// <summary>
/// The reports as readable text and as CSV (invariant culture, "\n"), shared by the CLI and the
/// API; <see cref="Json"/> is their JSON form (NaN and infinity written as strings).
/// </summary>
public static class ReportText
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Comparison(IReadOnlyList<VariableComparison> results)
    {
        var s = new StringBuilder();
        foreach (var c in results)
        {
            s.Append(Inv($"{c.Variable} ({c.Kind} of {c.Instrument}: {c.Label}), {c.From} -> {c.To}\n"));
            s.Append(Inv($"  participants {c.Participants}, pairs {c.Pairs}, left out {c.LeftOut.Sum(l => l.Count)}{(c.LeftOut.Count > 0 ? ":" : "")}\n"));
            foreach (var l in c.LeftOut)
            {
                s.Append(Inv($"    {l.Count,5}  {l.Reason}\n"));
            }
            if (c.Result is not { } r)
            {
                s.Append("  fewer than two pairs: no statistics\n\n");
                continue;
            }
            s.Append(Inv($"  {c.From}: mean {N(r.From.Mean)} (SD {N(r.From.StandardDeviation)});  {c.To}: mean {N(r.To.Mean)} (SD {N(r.To.StandardDeviation)})\n"));
            s.Append(Inv($"  mean difference {N(r.MeanDifference)} (SD {N(r.StandardDeviationOfDifference)}), 95% CI {N(r.ConfidenceLower)} to {N(r.ConfidenceUpper)}\n"));
            s.Append(Inv($"  paired t({r.DegreesOfFreedom}) = {N(r.T)}, {PValue.Text(r.P)} (two-sided), n = {r.Pairs} pairs\n"));
            s.Append(Inv($"  Cohen's dz = {N(r.CohensDz)}, 95% CI {N(r.CohensDzLower)} to {N(r.CohensDzUpper)} ({r.CohensDzInterval})\n"));
            s.Append(r.Wilcoxon is { } w
                ? Inv($"  Wilcoxon signed-rank: T = {N(w.Statistic)} (W+ {N(w.RankSumPositive)}, W- {N(w.RankSumNegative)}), n = {w.N}, {PValue.Text(w.P)} (two-sided; {w.Method}; {w.ZeroDifferences} zero differences dropped, {w.TiedGroups} groups of tied |d|)\n\n")
                : "  Wilcoxon signed-rank: every difference is zero\n\n");
        }
        return s.ToString();
    }

    /// <summary>The comparison as CSV; the last column names the role it was limited to ("(all)" for none).</summary>
    public static string ComparisonCsv(IReadOnlyList<VariableComparison> results, string? role = null)
    {
        var s = new StringBuilder("variable,kind,instrument,from,to,participants,pairs,left_out,left_out_reasons,mean_from,sd_from,mean_to,sd_to,mean_difference,sd_difference,ci_lower,ci_upper,t,df,p,p_text,cohens_dz,cohens_dz_ci_lower,cohens_dz_ci_upper,cohens_dz_ci_method,wilcoxon_t,wilcoxon_n,wilcoxon_zero_differences,wilcoxon_p,wilcoxon_p_text,wilcoxon_method,role\n");
        foreach (var c in results)
        {
            var r = c.Result;
            var w = r?.Wilcoxon;
            Row(s, c.Variable, c.Kind, c.Instrument, c.From, c.To, I(c.Participants), I(c.Pairs), I(c.LeftOut.Sum(l => l.Count)),
                string.Join("; ", c.LeftOut.Select(l => $"{I(l.Count)} {l.Reason}")),
                R(r?.From.Mean), R(r?.From.StandardDeviation), R(r?.To.Mean), R(r?.To.StandardDeviation), R(r?.MeanDifference), R(r?.StandardDeviationOfDifference),
                R(r?.ConfidenceLower), R(r?.ConfidenceUpper), R(r?.T), r is null ? null : I(r.DegreesOfFreedom), R(r?.P), r is null ? null : PValue.Text(r.P),
                R(r?.CohensDz), R(r?.CohensDzLower), R(r?.CohensDzUpper), r?.CohensDzInterval,
                R(w?.Statistic), w is null ? null : I(w.N), w is null ? null : I(w.ZeroDifferences), R(w?.P), w is null ? null : PValue.Text(w.P), w?.Method, role ?? ResponseReport.AllRoles);
        }
        return s.ToString();
    }

    public static string Distribution(IReadOnlyList<ItemDistribution> items)
    {
        var s = new StringBuilder();
        foreach (var d in items)
        {
            s.Append(Inv($"{d.Instrument}.{d.Item}: {d.Label}  (n = {d.N}"));
            s.Append(d.TopTwoBox is { } t ? Inv($", top-2-box {t:0.0}% [{d.TopTwoBoxCodes}])\n") : ")\n");
            s.Append(Inv($"  invited {d.Invited}, answered the instrument {d.Answered}, valid n = {d.N}; percent of the {d.N} {d.Base}\n"));
            s.Append("  code  percent   count  label\n");
            foreach (var o in d.Options)
            {
                s.Append(Inv($"  {o.Code,4}  {o.Percent,6:0.0}%  {o.Count,6}  {o.Label}\n"));
            }
            foreach (var m in d.Missing)
            {
                s.Append(Inv($"     missing: {m.Count} {m.Reason}\n"));
            }
        }
        return s.ToString();
    }

    public static string DistributionCsv(IReadOnlyList<ItemDistribution> items)
    {
        var s = new StringBuilder("instrument,item,invited,answered,n,base,code,label,count,percent,top2box,top2box_codes\n");
        foreach (var d in items)
        {
            foreach (var o in d.Options)
            {
                Row(s, d.Instrument, d.Item, I(d.Invited), I(d.Answered), I(d.N), d.Base, I(o.Code), o.Label, I(o.Count), R(o.Percent), R(d.TopTwoBox), d.TopTwoBoxCodes);
            }
        }
        return s.ToString();
    }

    public static string Responses(ResponseReportResult report)
    {
        var s = new StringBuilder(Inv($"Responses of {report.Study}\n"));
        s.Append("wave        cohort      eligible invited completed  rate   expired missed undeliv withdrawn open  after email, reminder 1, 2, ...  (no email)\n");
        foreach (var r in report.Rows)
        {
            var rate = r.ResponseRate is { } x ? Inv($"{x * 100:0.0}%") : "n/a";
            s.Append(Inv($"{r.Wave,-11} {r.Cohort ?? ResponseReport.AllCohorts,-11} {r.Eligible,8} {r.Invited,7} {r.Completed,9} {rate,6} {r.Expired,9} {r.Missed,6} {r.Undeliverable,7} {r.Withdrawn,9} {r.StillOpen,4}  {string.Join(", ", r.CompletedAfter)}  ({r.CompletedWithoutEmail})\n"));
        }
        s.Append("\nRetention of the first wave's completers\n");
        foreach (var r in report.Retention)
        {
            s.Append(Inv($"  {r.Wave,-11} {r.AlsoCompleted} of {r.FirstWaveCompleters} completed it; {r.CompletedEveryWaveSoFar} completed every wave so far\n"));
        }
        return s.ToString();
    }

    public static string ResponsesCsv(ResponseReportResult report)
    {
        var s = new StringBuilder("wave,cohort,eligible,not_invited,invited,started,completed,expired,missed,undeliverable,withdrawn,still_open,response_rate,completed_after_email_and_reminders,completed_without_email,retained_first_wave_completers,role\n");
        foreach (var r in report.Rows)
        {
            var retained = r.Cohort is null ? report.Retention.FirstOrDefault(x => x.Wave == r.Wave)?.AlsoCompleted : null;
            Row(s, r.Wave, r.Cohort ?? ResponseReport.AllCohorts, I(r.Eligible), I(r.NotInvited), I(r.Invited), I(r.Started), I(r.Completed), I(r.Expired), I(r.Missed),
                I(r.Undeliverable), I(r.Withdrawn), I(r.StillOpen), R(r.ResponseRate), string.Join(";", r.CompletedAfter), I(r.CompletedWithoutEmail), retained is { } n ? I(n) : null,
                report.Role ?? ResponseReport.AllRoles);
        }
        return s.ToString();
    }

    /// <summary>Completion per role, wave and team (<see cref="RoleReport"/>).</summary>
    public static string RoleResponsesCsv(IReadOnlyList<RoleResponseRow> rows)
    {
        var s = new StringBuilder("role,wave,kind,cohort,eligible,invited,completed,missed,expired,withdrawn,still_open,response_rate\n");
        foreach (var (role, wave, kind, r) in rows)
        {
            Row(s, role, wave, kind, r.Cohort ?? ResponseReport.AllCohorts, I(r.Eligible), I(r.Invited), I(r.Completed), I(r.Missed), I(r.Expired),
                I(r.Withdrawn), I(r.StillOpen), R(r.ResponseRate));
        }
        return s.ToString();
    }

    private static void Row(StringBuilder s, params string?[] cells) => s.AppendJoin(',', cells.Select(CsvTableWriter.Quote)).Append('\n');

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? R(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

}
