using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>`protocol validate FILE`, `protocol import FILE`, `protocol export STUDY`: the study definition as a file.</summary>
internal static class ProtocolCommands
{
    public static Command Create()
    {
        var protocol = new Command("protocol", "Validate, import and export study protocol files (see docs/protocol.md).");
        protocol.Subcommands.Add(Validate());
        protocol.Subcommands.Add(Import());
        protocol.Subcommands.Add(Export());
        return protocol;
    }

    private static Command Validate()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The protocol JSON file." };
        var command = new Command("validate", "Check a protocol file and list every problem with its JSON path; writes nothing.") { file };
        command.SetAction(async (parse, ct) =>
        {
            var json = await ReadAsync(parse.GetValue(file)!, ct);
            if (json is null)
            {
                return 2;
            }
            var result = ProtocolValidator.Validate(json);
            if (!result.IsValid)
            {
                await WriteProblemsAsync(result.Problems);
                return 1;
            }
            var p = result.Protocol!;
            Console.WriteLine($"Valid: study '{p.Study.Code}' with {p.Instruments.Count} instruments, {p.Waves.Count} waves, {p.Cohorts?.Count ?? 0} cohorts.");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The protocol JSON file." };
        var command = new Command("import", "Create the study from a protocol file, or add a new protocol version to it. A file with problems changes nothing.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = await ReadAsync(parse.GetValue(file)!, cancellationToken);
            if (json is null)
            {
                return 2;
            }
            return await CliHost.RunMigratedAsync(async (services, ct) =>
            {
                var db = services.GetRequiredService<StudyDbContext>();
                var result = await new ProtocolImporter(db, services.GetRequiredService<TimeProvider>()).ImportAsync(json, Actor.Cli, ct);
                if (!result.Succeeded)
                {
                    await WriteProblemsAsync(result.Problems);
                    return 1;
                }
                Console.WriteLine($"Study id {result.StudyId}, protocol version {result.Version}:");
                foreach (var change in result.Changes)
                {
                    Console.WriteLine($"  - {change}");
                }
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Export()
    {
        var study = new Argument<string>("STUDY") { Description = "The study code, such as ra-course." };
        var command = new Command("export", "Print the study's current protocol as JSON.") { study };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var code = parse.GetValue(study)!;
            var json = await ProtocolExporter.ExportAsync(db, code, ct);
            if (json is null)
            {
                await Console.Error.WriteLineAsync($"STUDY: no study has the code '{code}'.");
                return 1;
            }
            Console.Write(json);
            return 0;
        }, cancellationToken));
        return command;
    }

    internal static async Task<string?> ReadAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"FILE: {file.Name} was not found.");
            return null;
        }
        return await File.ReadAllTextAsync(file.FullName, ct);
    }

    private static async Task WriteProblemsAsync(IReadOnlyList<ProtocolProblem> problems)
    {
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync(problem.ToString());
        }
        await Console.Error.WriteLineAsync($"{problems.Count} problem(s); nothing was changed.");
    }
}
