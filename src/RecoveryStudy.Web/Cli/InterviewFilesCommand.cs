using System.CommandLine;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>`interview-files rewrap`: every stored file key wrapped again by the current master key, for retiring an old one.</summary>
internal static class InterviewFilesCommand
{
    public static Command Create()
    {
        var files = new Command("interview-files", "Interview files (recordings, transcripts): key rotation.");
        var rewrap = new Command("rewrap", "Wrap every stored file key with the master key named by Interviews:FileKeyId (the content is not re-encrypted).");
        rewrap.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var options = services.GetRequiredService<IOptions<InterviewFileOptions>>().Value;
            if (!options.CanStore)
            {
                await Console.Error.WriteLineAsync("Interviews:FileKeyId must name a key of Interviews:FileKeys.");
                return 2;
            }
            var moved = await InterviewFileRewrap.RunAsync(services.GetRequiredService<StudyDbContext>(), options, services.GetRequiredService<TimeProvider>(), ct);
            Console.WriteLine($"Re-wrapped {moved} file keys with master key {options.FileKeyId}.");
            return 0;
        }, cancellationToken, builder => builder.AddInterviewFiles()));
        files.Subcommands.Add(rewrap);
        return files;
    }
}
