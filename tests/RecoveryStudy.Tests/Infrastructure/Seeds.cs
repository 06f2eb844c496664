namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>The repository's seed files (seeds/*.study.json), read from the source tree.</summary>
public static class Seeds
{
    public const string RaCourse = "ra-course";
    public const string FactPeer = "fact-peer";
    public const string FactProgramme = "fact-programme";

    public static string Folder { get; } = FindFolder();

    public static string Read(string study) => File.ReadAllText(Path.Combine(Folder, study + ".study.json"));

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecoveryStudy.sln")))
            {
                return Path.Combine(dir.FullName, "seeds");
            }
        }
        throw new DirectoryNotFoundException("The repository root (with RecoveryStudy.sln) was not found above the test binaries.");
    }
}
