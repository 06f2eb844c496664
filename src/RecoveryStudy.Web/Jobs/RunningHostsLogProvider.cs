using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace RecoveryStudy.Web.Jobs;

/// <summary>
/// Hangfire keeps its log provider in a static that every host of the process shares, and asks
/// it for a logger each time a server process (re)starts. With the provider Hangfire installs
/// itself, a host that has stopped leaves its disposed logger factory there, and the job server
/// of a host still running can then never restart its heartbeat (seen in the test suite, which
/// runs many hosts side by side). Here each host registers its logger factory while it runs, and
/// loggers come from the newest host still running.
/// </summary>
internal sealed class RunningHostsLogProvider : ILogProvider
{
    private static readonly List<ILoggerFactory> Running = [];

    public ILog GetLogger(string name)
    {
        ILoggerFactory? factory;
        lock (Running)
        {
            factory = Running.LastOrDefault();
        }
        return factory is null ? SilentLog.Instance : new AspNetCoreLogProvider(factory).GetLogger(name);
    }

    /// <summary>Registers the host's logger factory from its start until it begins to stop.</summary>
    internal sealed class Registration(ILoggerFactory factory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lock (Running)
            {
                Running.Add(factory);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            lock (Running)
            {
                Running.Remove(factory);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
