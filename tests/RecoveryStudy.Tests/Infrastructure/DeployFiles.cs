namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>Files of the repository's ops/deploy folder, found upwards from the test's output folder.</summary>
public static class DeployFiles
{
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (Directory.Exists(System.IO.Path.Combine(folder.FullName, "ops", "deploy")))
                {
                    return folder.FullName;
                }
            }
            throw new DirectoryNotFoundException("ops/deploy not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, "ops", "deploy", .. parts]);
}
