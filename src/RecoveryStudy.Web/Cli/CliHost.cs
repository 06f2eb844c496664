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

    public static async Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Logs go to stderr so that a verb's output (an exported protocol) can be piped to a file.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        Overrides?.Invoke(builder);
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
}
