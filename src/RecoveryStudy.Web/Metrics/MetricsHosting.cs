using OpenTelemetry.Metrics;
using RecoveryStudy.Mail;

namespace RecoveryStudy.Web.Metrics;

/// <summary>
/// OpenTelemetry metrics in Prometheus' text format at /metrics: the outbox counters
/// (<see cref="MailMetrics"/>), the database gauges (<see cref="DatabaseGauges"/>), staff sign-in
/// failures (<see cref="StaffSignInMetrics"/>) and ASP.NET Core's request durations. Only
/// <see cref="MetricsAccess"/>'s callers get them; anyone else gets a plain 404.
/// </summary>
public static class MetricsHosting
{
    public const string Path = "/metrics";

    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(MetricsAccess.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<DatabaseGauges>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(MailMetrics.MeterName, RecoveryStudy.Bounces.BounceMetrics.MeterName, StaffSignInMetrics.MeterName, DatabaseGauges.MeterName)
                .AddAspNetCoreInstrumentation()
                // No answer cache of the exporter's own: the database gauges keep theirs, the rest is memory.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) =>
            {
                // Meters made by another host's factory in this process (the tests run several hosts)
                // would report that host's database and requests here; process-wide meters (Scope null) stay.
                var ours = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                provider.AddView(instrument =>
                    instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, ours) ? null : MetricStreamConfiguration.Drop);
            });
        });
        return builder;
    }

    public static void MapMetrics(this WebApplication app)
    {
        // The gauges' meter exists once the service does.
        app.Services.GetRequiredService<DatabaseGauges>();
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!access.Allows(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next();
        }), optionsName: null).AllowAnonymous();
    }
}
