using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `study pause|resume --study S [--wave W]` and `schedule preview --study S [--participant P]
/// [--from DATE --to DATE] [--format text|json] [--protocol FILE]` (the dry run: prints, sends
/// nothing; with a protocol file, what importing it would change, storing nothing).
/// </summary>
internal static class SchedulingCommands
{
    public static Command Study()
    {
        var study = new Command("study", "Pause or resume sending for a study or one of its waves.");
        foreach (var pause in new[] { true, false })
        {
            var code = new Option<string>("--study") { Description = "The study code.", Required = true };
            var wave = new Option<string?>("--wave") { Description = "Only this wave (its code)." };
            var command = new Command(pause ? "pause" : "resume", pause
                ? "Stop sending at once (the outbox keeps what is queued)."
                : "Send again: what fell due inside open windows goes out, one reminder per person, at the rate limit.") { code, wave };
            command.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
            {
                var db = services.GetRequiredService<StudyDbContext>();
                var problem = await Pausing.SetAsync(db, services.GetRequiredService<TimeProvider>(), Actor.Cli, parse.GetValue(code)!, parse.GetValue(wave), pause, ct);
                if (problem is not null)
                {
                    await Console.Error.WriteLineAsync(problem);
                    return 1;
                }
                Console.WriteLine($"{(pause ? "Paused" : "Resumed")} {(parse.GetValue(wave) is string w ? "wave " + w + " of " : "")}study {parse.GetValue(code)}.");
                return 0;
            }, cancellationToken));
            study.Subcommands.Add(command);
        }
        return study;
    }

    public static Command Schedule()
    {
        var schedule = new Command("schedule", "Inspect the sending schedule.");
        var code = new Option<string>("--study") { Description = "The study code.", Required = true };
        var participant = new Option<string?>("--participant") { Description = "Only this participant (their study code)." };
        var from = new Option<DateOnly?>("--from") { Description = "First UTC date to show (yyyy-MM-dd)." };
        var to = new Option<DateOnly?>("--to") { Description = "Last UTC date to show (yyyy-MM-dd)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var protocol = new Option<FileInfo?>("--protocol")
        {
            Description = "A protocol file not imported yet: the schedule under its rules and what would change against what is planned now. Stores nothing.",
        };
        var preview = new Command("preview", "Dry run: every email the protocol would send, to whom (participant code) and when, and what would be missed and why. Sends nothing.")
        {
            code, participant, from, to, format, protocol,
        };
        preview.Validators.Add(result =>
        {
            if (result.GetValue(from) is DateOnly first && result.GetValue(to) is DateOnly last && first > last)
            {
                result.AddError($"--from {first:yyyy-MM-dd} is after --to {last:yyyy-MM-dd}");
            }
        });
        preview.SetAction((parse, cancellationToken) => CliHost.RunMigratedAsync(async (services, ct) =>
        {
            var db = services.GetRequiredService<StudyDbContext>();
            var json = parse.GetValue(format) == "json";
            if (parse.GetValue(protocol) is FileInfo file)
            {
                return await ProtocolPreviewOutput.RunAsync(db, services.GetRequiredService<TimeProvider>(), file, parse.GetValue(code)!,
                    parse.GetValue(participant), parse.GetValue(from), parse.GetValue(to), json, ct);
            }
            var rows = await SchedulePreview.RunAsync(services.GetRequiredService<NpgsqlDataSource>(), parse.GetValue(code)!, parse.GetValue(participant),
                parse.GetValue(from), parse.GetValue(to), services.GetRequiredService<TimeProvider>().Now(), ct);
            if (rows is null)
            {
                await Console.Error.WriteLineAsync($"--study: no study with code {parse.GetValue(code)}");
                return 1;
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, ProtocolPreviewOutput.Json));
                return 0;
            }
            ProtocolPreviewOutput.WriteSchedule(rows);
            return 0;
        }, cancellationToken));
        schedule.Subcommands.Add(preview);
        return schedule;
    }
}
