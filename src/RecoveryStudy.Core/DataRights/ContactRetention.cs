namespace RecoveryStudy.DataRights;

/// <summary>
/// The study's contact retention: set by the protocol's
/// <c>study.contact_retention_months</c> (1 to <see cref="MaxMonths"/>), or absent, and then
/// contact details are kept until erased by hand or by a participant's request.
/// </summary>
public static class ContactRetention
{
    /// <summary>Twenty years: longer than any follow-up the platform plans for.</summary>
    public const int MaxMonths = 240;
}
