using Microsoft.Extensions.Options;
using RecoveryStudy.Bounces;
using RecoveryStudy.Mail;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Planning and sending: options bound from "Mail" and "App" and checked at start (a host with
/// an unusable mail setup does not start), the chosen transport, the jobs' classes.
/// </summary>
public static class MailHosting
{
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        // Validated once, by MailOptionsValidation below, which names every problem.
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidation>();
        builder.Services.AddOptions<PublicLinkOptions>().BindConfiguration(PublicLinkOptions.Section)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "App:PublicBaseUrl must be an absolute http or https address")
            .ValidateOnStart();
        builder.Services.AddOptions<BounceOptions>().BindConfiguration(BounceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BounceOptions>, BounceOptionsValidation>();
        builder.Services.AddSingleton<IMailTransport>(services =>
        {
            var options = services.GetRequiredService<IOptions<MailOptions>>().Value;
            // One token cache for the process: every dispatch run signs in with the same token until it is renewed.
            var tokens = options.Smtp.OAuth.IsConfigured
                ? new OAuthTokenProvider(options.Smtp.OAuth, options.Smtp.User, services.GetRequiredService<TimeProvider>())
                : null;
            // Every email's envelope sender names it (VERP), when a bounce address is configured.
            var verp = VerpAddresses.From(services.GetRequiredService<IOptions<BounceOptions>>().Value);
            Func<MimeKit.MimeMessage, MimeKit.MailboxAddress?>? envelopeSender = verp is null ? null : verp.EnvelopeSenderFor;
            return options.Transport == MailOptions.SmtpTransport
                ? new SmtpMailTransport(options.Smtp, envelopeSender, tokens)
                : new PickupMailTransport(Path.GetFullPath(options.PickupFolder), envelopeSender);
        });
        builder.Services.AddTransient<Dispatcher>();
        builder.Services.AddTransient<DispatchJob>();
        builder.Services.AddTransient<PlanJob>();
        builder.Services.AddTransient<ExpireJob>();
        builder.Services.AddSingleton(services =>
        {
            // The bounce mailbox's own token cache (Bounces:Imap:OAuth), kept across runs of the job.
            var imap = services.GetRequiredService<IOptions<BounceOptions>>().Value.Imap;
            return new BounceMailboxTokens(imap.OAuth.IsConfigured ? new OAuthTokenProvider(imap.OAuth, imap.User, services.GetRequiredService<TimeProvider>()) : null);
        });
        builder.Services.AddTransient<RecoveryStudy.Interviews.InterviewerReminderJob>();
        builder.Services.AddTransient<RecoveryStudy.DataRights.ContactRetentionJob>();
        builder.Services.AddTransient<RecoveryStudy.Interviews.Booking.BookingMailJob>();
        builder.Services.AddTransient<BounceJob>();
        return builder;
    }
}

/// <summary>Names every problem of the Mail section at once, so one start shows them all.</summary>
internal sealed class MailOptionsValidation : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Names every problem of the Bounces section at once.</summary>
internal sealed class BounceOptionsValidation : IValidateOptions<BounceOptions>
{
    public ValidateOptionsResult Validate(string? name, BounceOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
