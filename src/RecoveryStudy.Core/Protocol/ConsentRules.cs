namespace RecoveryStudy.Protocol;

/// <summary>Cross-checks of the consent block: clause codes are unique, and agreeing means ticking at least one required clause.</summary>
internal static class ConsentRules
{
    public static void Check(ProtocolDocument protocol, JsonChecks c)
    {
        if (protocol.Consent is not { } consent)
        {
            return;
        }
        StudyRules.Unique(consent.Clauses.Select(x => x.Code), "$.consent.clauses", c);
        if (consent.Clauses.Count > 0 && !consent.Clauses.Any(x => x.Required))
        {
            c.Add("$.consent.clauses", "needs at least one clause with \"required\": true, the agreement to take part");
        }
    }
}
