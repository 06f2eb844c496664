using System.Text.Json;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Consent versions across imports: a consent record names the version the participant read, so a
/// changed text under the same version number (or a lower number) is refused; a new version is
/// listed among the changes.
/// </summary>
internal static class ConsentImport
{
    public static List<ProtocolProblem> Problems(ConsentDefinition? before, ConsentDefinition? after)
    {
        if (before is null || after is null || before.Code != after.Code)
        {
            return [];
        }
        if (after.Version < before.Version)
        {
            return [new("$.consent.version", $"the study runs consent version {before.Version}; a version cannot go back")];
        }
        if (after.Version == before.Version && Text(before) != Text(after))
        {
            return [new("$.consent.version", $"the consent text or clauses changed; give it a version above {before.Version} so that every agreement names the text it was given for")];
        }
        return [];
    }

    public static IEnumerable<string> Changes(ConsentDefinition? before, ConsentDefinition? after)
    {
        if (after is not null && (before is null || before.Code != after.Code || before.Version != after.Version))
        {
            yield return $"consent '{after.Code}' version {after.Version} is now asked{(after.Reconsent == true && before is not null ? ", again of those who agreed to an earlier version" : "")}";
        }
        else if (after is null && before is not null)
        {
            yield return $"consent '{before.Code}' is no longer asked";
        }
    }

    private static string Text(ConsentDefinition consent) =>
        JsonSerializer.Serialize(new { consent.Title, consent.Text, consent.Clauses }, ProtocolJson.Options);
}
