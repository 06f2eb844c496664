namespace RecoveryStudy.DataRights;

/// <summary>
/// The study's contact retention as the console shows it: set by the protocol's
/// <c>study.contact_retention_months</c> (1 to <see cref="MaxMonths"/>), or absent, and then
/// contact details are kept until erased by hand or by a participant's request.
/// </summary>
public static class ContactRetention
{
    /// <summary>Twenty years: longer than any follow-up the platform plans for.</summary>
    public const int MaxMonths = 240;

    /// <summary>One line for the dashboard, in the console's English.</summary>
    public static string Describe(int? months, DateTime? warnedAt, DateTime? erasedAt) => (months, erasedAt) switch
    {
        (_, { } erased) => $"Contact details were erased on {erased:yyyy-MM-dd} (UTC), {months} months after the last wave closed.",
        (null, _) => "Contact details are kept: the protocol sets no contact_retention_months.",
        ({ } m, _) => $"Contact details are erased {m} {(m == 1 ? "month" : "months")} after the last wave closes (set by the protocol's contact_retention_months)"
            + (warnedAt is { } w ? $"; researchers were warned on {w:yyyy-MM-dd} (UTC)." : "; researchers are warned " + ContactRetentionJob.WarningDays + " days before."),
    };
}
