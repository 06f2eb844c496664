using System.Reflection;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// The release this build is: VERSION from the repository and the short commit the build was made
/// from (e.g. 0.9.0+1a2b3c4), as `--version`, /health and the console footer show it.
/// </summary>
public static class AppVersion
{
    public static string Text { get; } = Describe(typeof(AppVersion).Assembly);

    private static string Describe(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        // The SDK appends the full commit hash; seven characters name it as `git log --oneline` does.
        return plus < 0 || informational.Length - plus - 1 <= 7 ? informational : informational[..(plus + 8)];
    }
}
