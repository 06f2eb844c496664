namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// `Logging:Format`: `text` (the default, for people) or `json` (one JSON object per line, for a log
/// collector), for `serve` and every CLI verb alike. Scopes are left out in both: ASP.NET Core's
/// request scope carries the path, and a participant link's path is its token.
/// </summary>
public static class LogFormatHosting
{
    public const string Key = "Logging:Format";

    public static IHostApplicationBuilder AddLogFormat(this IHostApplicationBuilder builder)
    {
        var format = builder.Configuration[Key];
        if (string.IsNullOrWhiteSpace(format) || format.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }
        if (!format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Key}: '{format}' is neither 'text' nor 'json'.");
        }
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = false;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        return builder;
    }
}
