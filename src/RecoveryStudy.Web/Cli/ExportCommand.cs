using System.CommandLine;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `export --study S --format long|wide|wide-across|codebook|r|spss|stata ...`: a dataset or its
/// codebook to a file or standard output, streamed from the database, with a progress line on
/// standard error. codebook, r, spss and stata describe the wide table of --wave, else the wide-across table.
/// </summary>
internal static class ExportCommand
{
    public static readonly string[] Formats = [.. TableKind.All, .. DatasetFile.Documents];

    public static Command Create()
    {
        var study = new Option<string>("--study") { Description = "Study code.", Required = true };
        var format = new Option<string>("--format") { Description = string.Join("|", Formats), Required = true };
        format.AcceptOnlyFromAmong(Formats);
        var parquet = new Option<bool>("--parquet") { Description = "Write Parquet instead of CSV (needs --out)." };
        var wave = new Option<string?>("--wave") { Description = "Wave code (required for wide; limits long)." };
        var cohort = new Option<string?>("--cohort") { Description = "Only this cohort." };
        var role = new Option<string?>("--role") { Description = "Only this role." };
        var completeOnly = new Option<bool>("--complete-only") { Description = "Only completed invitations (wide-across: every wave completed)." };
        var rawText = new Option<bool>("--raw-text") { Description = "CSV text as typed: no added leading quote before text beginning with = + - @ (for R; unsafe to open in a spreadsheet)." };
        var output = new Option<FileInfo?>("--out") { Description = "File to write; standard output when left out." };
        var command = new Command("export", "Export a dataset (long, wide, wide-across) or its codebook, R script or SPSS syntax.")
        {
            study, format, parquet, wave, cohort, role, completeOnly, rawText, output,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var chosen = parse.GetValue(format)!;
            var file = parse.GetValue(output);
            if (parse.GetValue(parquet) && (file is null || !TableKind.All.Contains(chosen)))
            {
                await Console.Error.WriteLineAsync("--parquet: needs --out FILE and a table format (long, wide, wide-across)");
                return 2;
            }
            var db = services.GetRequiredService<StudyDbContext>();
            var layout = await StudyLayout.LoadAsync(db, parse.GetValue(study)!, ct);
            if (layout is null)
            {
                await Console.Error.WriteLineAsync($"--study: no study '{parse.GetValue(study)}'");
                return 2;
            }
            var waveCode = parse.GetValue(wave);
            var isTable = TableKind.All.Contains(chosen);
            var tableKind = isTable ? chosen : waveCode is null ? TableKind.WideAcross : TableKind.Wide;
            var request = new ExportRequest(tableKind, waveCode, parse.GetValue(cohort), parse.GetValue(role), parse.GetValue(completeOnly));
            if (await UnknownFilterValues.WriteAsync(db, layout, request.Filter, ct, ("wave", waveCode)))
            {
                return 1;
            }
            var (exportFile, error) = DatasetFile.Create(layout, request, isTable ? DatasetFile.TableContent : chosen, parse.GetValue(parquet), parse.GetValue(rawText));
            if (exportFile is null)
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            var table = exportFile.Table;
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            var result = await exportFile.WriteAsync(services.GetRequiredService<NpgsqlDataSource>(), layout, request.Filter, stream, isTable ? new StderrProgress() : null, ct);
            if (isTable)
            {
                await Console.Error.WriteLineAsync($"\rexported {result.Participants} participants, {result.Rows} rows to {file?.Name ?? "standard output"}");
            }
            AuditLog.Add(db, services.GetRequiredService<TimeProvider>(), Actor.Cli, "data.export", layout.StudyId, "table", table.Name,
                new { format = chosen, parquet = parse.GetValue(parquet), raw_text = exportFile.RawText, request.Wave, request.Cohort, request.Role, request.CompleteOnly, result.Participants, result.Rows });
            await db.SaveChangesAsync(ct);
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        return command;
    }
}

/// <summary>Reports on the exporting thread itself, so no line arrives after the closing one.</summary>
internal sealed class StderrProgress : IProgress<ExportProgress>
{
    public void Report(ExportProgress value) => Console.Error.Write($"\rexported {value.Participants} participants, {value.Rows} rows");
}

/// <summary>Data verbs write their result to standard output, so every log line goes to standard error.</summary>
internal static class StandardOutput
{
    public static void KeepClean(IHostApplicationBuilder builder) =>
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}
