using RecoveryStudy.Interviews.Files;

namespace RecoveryStudy.Web.Hosting;

/// <summary>Interview files: size limit and master keys (checked at start), and the encrypted store.</summary>
public static class InterviewFilesHosting
{
    public static IHostApplicationBuilder AddInterviewFiles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InterviewFileOptions>().BindConfiguration(InterviewFileOptions.Section)
            .Validate(o => o.Problem() is null, "Interviews:FileKeys, Interviews:FileKeyId or Interviews:MaxFileBytes is invalid: each key 32 bytes in base64, FileKeyId one of them, MaxFileBytes at least 1.")
            .ValidateOnStart();
        builder.Services.AddScoped<InterviewFileStore>();
        return builder;
    }
}
