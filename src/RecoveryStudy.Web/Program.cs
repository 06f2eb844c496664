using RecoveryStudy.Web.Cli;

return await CliEntry.RunAsync(args);

public partial class Program;
