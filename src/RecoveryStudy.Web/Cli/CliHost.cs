using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// A small host for one CLI verb: configuration, logging kept quiet, the database (starting
/// the private cluster when none is configured, and stopping it afterwards).
/// </summary>
public static class CliHost
{
    private static readonly AsyncLocal<Action<IHostApplicationBuilder>?> Embedding = new();

    /// <summary>
    /// Host configuration for the verbs run from the current asynchronous flow by a process that
    /// embeds the command line (the tests: their database and clock). Applied before the database
    /// is chosen, so it may set ConnectionStrings:Main; the services it registers win.
    /// </summary>
    public static Action<IHostApplicationBuilder>? Overrides
    {
        get => Embedding.Value;
        set => Embedding.Value = value;
    }

    /// <summary>
    /// Runs a verb in a host that reads configuration as the web host does (AppHost): appsettings.json
    /// and appsettings.{environment}.json beside the binary, the environment (ASPNETCORE_ENVIRONMENT
    /// and ASPNETCORE_-prefixed keys included) and <paramref name="settings"/>, the verb's
    /// <c>--Key=Value</c> or <c>--Key Value</c> arguments. Without that a verb that sends email built
    /// its links from defaults instead of the configured App:PublicBaseUrl.
    /// </summary>
    public static async Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken,
        Action<IHostApplicationBuilder>? configure = null, IReadOnlyList<string>? settings = null)
    {
        if (SettingsProblem(settings ?? []) is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. settings ?? []],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = string.IsNullOrEmpty(environment) ? null : environment,
        });
        // First, so that appsettings, unprefixed variables and arguments win, as in the web host.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix = "ASPNETCORE_" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Logs go to stderr so that a verb's output (an exported protocol) can be piped to a file.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        Overrides?.Invoke(builder);
        builder.AddLogFormat();
        builder.AddDatabase();
        configure?.Invoke(builder);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/> on a database brought up to date first: every verb that reads or writes
    /// study data migrates on start, as `serve` does, so a fresh install needs no separate `migrate`.
    /// </summary>
    public static Task<int> RunMigratedAsync(Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken,
        Action<IHostApplicationBuilder>? configure = null, IReadOnlyList<string>? settings = null) =>
        RunAsync(async (services, ct) =>
        {
            await services.GetRequiredService<StudyDbContext>().Database.MigrateAsync(ct);
            return await action(services, ct);
        }, cancellationToken, configure, settings);

    /// <summary>Why <paramref name="settings"/> are not configuration arguments, or null when they are.</summary>
    private static string? SettingsProblem(IReadOnlyList<string> settings)
    {
        for (var i = 0; i < settings.Count; i++)
        {
            var token = settings[i];
            var isKey = token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2 && token[2] != '=';
            if (!isKey)
            {
                return $"'{token}' is not a setting; give configuration as --Section:Key=Value (see README.md, Configuration)";
            }
            if (!token.Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 == settings.Count || settings[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"'{token}' has no value; give configuration as --Section:Key=Value (see README.md, Configuration)";
                }
                i++;
            }
        }
        return null;
    }
}
