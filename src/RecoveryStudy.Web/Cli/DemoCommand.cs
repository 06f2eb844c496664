using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Demo;

namespace RecoveryStudy.Web.Cli;

/// <summary>`demo seed`: made-up studies, people and answers for trying the platform out. Never for a real database.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var demo = new Command("demo", "Demo data only: never run against a database with real participants.");
        var seeds = new Option<DirectoryInfo>("--seeds") { Description = "Folder of the seed protocol files.", DefaultValueFactory = _ => new DirectoryInfo("seeds") };
        var seed = new Command("seed", "Import both seed studies with made-up cohorts, people (example.org addresses) and past answers, dated from today. Safe to run again.") { seeds };
        seed.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var folder = parse.GetValue(seeds)!;
            if (!folder.Exists)
            {
                await Console.Error.WriteLineAsync($"--seeds: folder {folder.Name} was not found.");
                return 2;
            }
            var db = services.GetRequiredService<StudyDbContext>();
            foreach (var line in await new DemoSeeder(db, services.GetRequiredService<TimeProvider>()).SeedAsync(folder.FullName, ct))
            {
                Console.WriteLine(line);
            }
            return 0;
        }, cancellationToken));
        demo.Subcommands.Add(seed);
        return demo;
    }
}
