using System.CommandLine;

namespace RecoveryStudy.Web.Cli;

/// <summary>The verbs of ops/recoverystudy. Each verb lives in its own file.</summary>
public static class CommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("RecoveryStudy: longitudinal outcome studies with scheduled waves, reminders and analyst datasets.");
        root.Options.Add(new Option<bool>(CliEntry.Verbose) { Recursive = true, Description = "Print the stack trace of an unhandled error." });
        VersionAction.Use(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(AdminCommands.Create());
        root.Subcommands.Add(ProtocolCommands.Create());
        root.Subcommands.Add(ParticipantCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SchedulingCommands.Study());
        root.Subcommands.Add(SchedulingCommands.Schedule());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ReportCommands.Compare());
        root.Subcommands.Add(ReportCommands.Distribution());
        root.Subcommands.Add(ReportCommands.Responses());
        root.Subcommands.Add(AnswersCommand.Create());
        root.Subcommands.Add(ApiTokenCommand.Create());
        root.Subcommands.Add(MailCommand.Create());
        root.Subcommands.Add(InterviewFilesCommand.Create());
        return root;
    }
}
