using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Imports;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>`answers import FILE --study S --wave W --instrument I`: all or nothing, every problem listed.</summary>
internal static class AnswersCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV: a participant column, one column per item code, optional completed_at and due_date." };
        var study = new Option<string>("--study") { Required = true, Description = "Study code." };
        var wave = new Option<string>("--wave") { Required = true, Description = "Wave code." };
        var instrument = new Option<string>("--instrument") { Required = true, Description = "Instrument code (its newest version)." };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "JSON mapping file: source columns to item codes, value recodes (docs/analysis.md)." };
        var import = new Command("import", "Import one wave's answers to one instrument from an earlier survey tool's CSV; writes nothing if any line has a problem.")
        {
            file, study, wave, instrument, mapping,
        };
        import.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            using var reader = new StreamReader(parse.GetValue(file)!.FullName);
            var mappingFile = parse.GetValue(mapping);
            (string, string)? mappingText = mappingFile is null ? null : (mappingFile.Name, await File.ReadAllTextAsync(mappingFile.FullName, ct));
            var result = await AnswerImport.RunAsync(db, services.GetRequiredService<TimeProvider>(), Actor.Cli,
                parse.GetValue(study)!, parse.GetValue(wave)!, parse.GetValue(instrument)!, reader, mappingText, ct);
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.ToString());
            }
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync($"{result.Errors.Count} problem(s); nothing was imported.");
                return 1;
            }
            Console.WriteLine($"Imported {result.Responses} response(s) with {result.Answers} answer(s), marked as imported.");
            Console.WriteLine(result.Gaps.Count == 0 ? "Item nonresponse: none (every shown item answered)."
                : "Item nonresponse (left empty where shown, coded -1 in exports):");
            foreach (var gap in result.Gaps)
            {
                Console.WriteLine($"  {gap.Item}: {gap.Empty} of {gap.Shown} empty");
            }
            return 0;
        }, cancellationToken, StandardOutput.KeepClean));
        var answers = new Command("answers", "Answers imported from other tools.");
        answers.Subcommands.Add(import);
        return answers;
    }
}
