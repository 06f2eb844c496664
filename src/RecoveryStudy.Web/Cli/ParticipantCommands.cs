using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Enrollment;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>`participants import FILE --study S`: enrolls (or updates) participants from a roster CSV, all rows or none.</summary>
internal static class ParticipantCommands
{
    public static Command Create()
    {
        var participants = new Command("participants", "Enroll participants from a roster file (see docs/protocol.md).");
        var file = new Argument<FileInfo>("FILE") { Description = "Roster CSV: code,email,name,language,time_zone,role,cohort,anchor_<name>... (comma or semicolon)." };
        var study = new Option<string>("--study") { Description = "The study code, such as ra-course.", Required = true };
        var createCohorts = new Option<bool>("--create-cohorts") { Description = "Create cohorts the study does not know yet instead of refusing the file." };
        var import = new Command("import", "Enroll or update the participants of a roster file. A file with any bad row changes nothing.") { file, study, createCohorts };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"FILE: {path.Name} was not found.");
                return 2;
            }
            return await CliHost.RunMigratedAsync(async (services, ct) =>
            {
                var db = services.GetRequiredService<StudyDbContext>();
                await using var csv = path.OpenRead();
                var importer = new ParticipantImporter(db, services.GetRequiredService<TimeProvider>());
                var result = await importer.ImportAsync(parse.GetValue(study)!, csv, Actor.Cli, ct, new ParticipantImportOptions(parse.GetValue(createCohorts)));
                if (!result.Succeeded)
                {
                    foreach (var error in result.Errors)
                    {
                        await Console.Error.WriteLineAsync(error.ToString());
                    }
                    await Console.Error.WriteLineAsync($"{result.Errors.Count} problem(s); nothing was changed.");
                    return 1;
                }
                Console.WriteLine($"Created {result.Created}, updated {result.Updated}, unchanged {result.Unchanged}.");
                foreach (var change in result.Changes)
                {
                    Console.WriteLine($"  - {change}");
                }
                return 0;
            }, cancellationToken);
        });
        participants.Subcommands.Add(import);
        return participants;
    }
}
