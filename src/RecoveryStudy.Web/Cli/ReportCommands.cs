using System.CommandLine;
using System.Text.Json;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Reports;
using RecoveryStudy.Statistics;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `compare`, `distribution` and `responses`: readable text by default, `--format json` or
/// `--format csv` for scripts. The same figures the console and the API show.
/// </summary>
internal static class ReportCommands
{
    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "text, json or csv.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "csv");
        return format;
    }

    public static Command Compare()
    {
        var study = new Option<string>("--study") { Required = true, Description = "Study code." };
        var from = new Option<string>("--from") { Required = true, Description = "First wave." };
        var to = new Option<string>("--to") { Required = true, Description = "Second wave." };
        var score = new Option<string?>("--score") { Description = "One score (default: every score both waves share)." };
        var item = new Option<string?>("--item") { Description = "One numeric item instead of scores." };
        var cohort = new Option<string?>("--cohort") { Description = "Only this cohort." };
        var role = new Option<string?>("--role") { Description = "Only participants of this role." };
        var format = FormatOption();
        var command = new Command("compare", "Within-subject comparison of scores or an item between two waves.") { study, from, to, score, item, cohort, role, format };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var layout = await StudyLayout.LoadAsync(db, parse.GetValue(study)!, ct);
            if (layout is null)
            {
                await Console.Error.WriteLineAsync("--study: no such study");
                return 2;
            }
            var filter = new ParticipantFilter(parse.GetValue(cohort), parse.GetValue(role));
            if (await UnknownFilterValues.WriteAsync(db, layout, filter, ct, ("from", parse.GetValue(from)), ("to", parse.GetValue(to))))
            {
                return 1;
            }
            var (a, b) = (layout.Wave(parse.GetValue(from)!)!, layout.Wave(parse.GetValue(to)!)!);
            var (variables, error) = WaveComparison.Resolve(a, b, parse.GetValue(score), parse.GetValue(item));
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            var results = await WaveComparison.CompareAsync(services.GetRequiredService<NpgsqlDataSource>(), layout, a, b, variables, filter, ct);
            Console.Write(parse.GetValue(format) switch
            {
                "json" => JsonSerializer.Serialize(results, ReportText.Json) + "\n",
                "csv" => ReportText.ComparisonCsv(results, filter.Role),
                _ => ReportText.Comparison(results),
            });
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return command;
    }

    public static Command Distribution()
    {
        var study = new Option<string>("--study") { Required = true, Description = "Study code." };
        var wave = new Option<string>("--wave") { Required = true, Description = "Wave code." };
        var instrument = new Option<string?>("--instrument") { Description = "Only this instrument." };
        var cohort = new Option<string?>("--cohort") { Description = "Only this cohort." };
        var format = FormatOption();
        var command = new Command("distribution", "Answers per option (percent), n and top-2-box for each rated item of a wave.") { study, wave, instrument, cohort, format };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var layout = await StudyLayout.LoadAsync(db, parse.GetValue(study)!, ct);
            if (layout is null)
            {
                await Console.Error.WriteLineAsync("--study: no such study");
                return 2;
            }
            var filter = new ParticipantFilter(parse.GetValue(cohort));
            if (await UnknownFilterValues.WriteAsync(db, layout, filter, ct, ("wave", parse.GetValue(wave))))
            {
                return 1;
            }
            var w = layout.Wave(parse.GetValue(wave)!)!;
            var items = await AnswerDistribution.ComputeAsync(services.GetRequiredService<NpgsqlDataSource>(), layout, w, parse.GetValue(instrument), filter, ct);
            Console.Write(parse.GetValue(format) switch
            {
                "json" => JsonSerializer.Serialize(items, ReportText.Json) + "\n",
                "csv" => ReportText.DistributionCsv(items),
                _ => ReportText.Distribution(items),
            });
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return command;
    }

    public static Command Responses()
    {
        var study = new Option<string>("--study") { Required = true, Description = "Study code." };
        var svg = new Option<FileInfo?>("--svg") { Description = "Also write the participant flow figure (SVG) to this file." };
        var role = new Option<string?>("--role") { Description = "Only participants of this role." };
        var format = FormatOption();
        var command = new Command("responses", "Response and attrition per wave and cohort, retention, and a flow figure.") { study, svg, role, format };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var layout = await StudyLayout.LoadAsync(db, parse.GetValue(study)!, ct);
            if (layout is null)
            {
                await Console.Error.WriteLineAsync("--study: no such study");
                return 2;
            }
            if (await UnknownFilterValues.WriteAsync(db, layout, new ParticipantFilter(Role: parse.GetValue(role)), ct))
            {
                return 1;
            }
            var report = await ResponseReport.ComputeAsync(services.GetRequiredService<NpgsqlDataSource>(), parse.GetValue(study)!, null, parse.GetValue(role), ct);
            if (report is null)
            {
                await Console.Error.WriteLineAsync("--study: no such study");
                return 2;
            }
            if (parse.GetValue(svg) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, ConsortFigure.Svg(report), ct);
            }
            Console.Write(parse.GetValue(format) switch
            {
                "json" => JsonSerializer.Serialize(report, ReportText.Json) + "\n",
                "csv" => ReportText.ResponsesCsv(report),
                _ => ReportText.Responses(report),
            });
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return command;
    }
}
