using System.Text.Json.Nodes;
using RecoveryStudy.Protocol;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>The $.consent block: read into the document, checked with JSON paths by the validator and the schema alike.</summary>
public sealed class ConsentProtocolTests
{
    internal static JsonObject Consent() => new()
    {
        ["code"] = "main",
        ["version"] = 2,
        ["reconsent"] = true,
        ["title"] = new JsonObject { ["en"] = "Consent", ["da"] = "Samtykke" },
        ["text"] = new JsonObject { ["en"] = "We ask you to take part.", ["da"] = "Vi beder dig deltage." },
        ["clauses"] = new JsonArray(
            new JsonObject { ["code"] = "take_part", ["text"] = new JsonObject { ["en"] = "I agree to take part.", ["da"] = "Jeg vil deltage." }, ["required"] = true },
            new JsonObject { ["code"] = "future_contact", ["text"] = new JsonObject { ["en"] = "I may be contacted for future studies.", ["da"] = "Jeg må kontaktes igen." }, ["required"] = false }),
    };

    internal static string WithConsent(Action<JsonObject>? change = null, string study = "mini") => MiniProtocol.With(d =>
    {
        var consent = Consent();
        change?.Invoke(consent);
        d["study"]!["code"] = study;
        d["consent"] = consent;
    });

    [Fact]
    public void Consent_block_is_read_with_its_version_and_clauses()
    {
        var result = ProtocolValidator.Validate(WithConsent());
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        var consent = result.Protocol!.Consent!;
        Assert.Equal(("main", 2, true), (consent.Code, consent.Version, consent.Reconsent));
        Assert.Equal("Jeg må kontaktes igen.", consent.Clauses[1].Text["da"]);
        Assert.Equal([true, false], consent.Clauses.Select(c => c.Required));
        Assert.Empty(ProtocolSchemaTests.SchemaErrors(WithConsent()));
    }

    [Fact]
    public void Protocol_without_consent_stays_valid_and_has_none()
    {
        Assert.Null(ProtocolValidator.Validate(MiniProtocol.Json).Protocol!.Consent);
    }

    public static TheoryData<string, string, string, bool> Broken => new()
    {
        // name, change (applied below), path, message; the last value says whether the schema catches it too.
        { "version", "$.consent.version", "must be a whole number from 1 to 1000", true },
        { "required", "$.consent.clauses[0].required", "must be true or false", true },
        { "language", "$.consent.clauses[1].text", "has no 'da' text; every declared language needs one", false },
        { "unknown", "$.consent.clauses[0].mandatory", "unknown property; allowed here: code, text, required", true },
        { "duplicate", "$.consent.clauses[1].code", "'take_part' is already used by $.consent.clauses[0]", false },
        { "no_required", "$.consent.clauses", "needs at least one clause with \"required\": true, the agreement to take part", false },
        { "empty", "$.consent.clauses", "must not be empty", true },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_consent_is_reported_at_its_path(string name, string path, string message, bool schemaToo)
    {
        var json = WithConsent(c =>
        {
            var clauses = c["clauses"]!.AsArray();
            switch (name)
            {
                case "version": c["version"] = 0; break;
                case "required": clauses[0]!["required"] = "yes"; break;
                case "language": clauses[1]!["text"]!.AsObject().Remove("da"); break;
                case "unknown": clauses[0]!["mandatory"] = true; break;
                case "duplicate": clauses[1]!["code"] = "take_part"; break;
                case "no_required": clauses[0]!["required"] = false; break;
                case "empty": clauses.Clear(); break;
            }
        });
        var result = ProtocolValidator.Validate(json);
        Assert.False(result.IsValid);
        Assert.Contains(new ProtocolProblem(path, message), result.Problems);
        Assert.Equal(schemaToo, ProtocolSchemaTests.SchemaErrors(json).Count > 0);
    }
}
