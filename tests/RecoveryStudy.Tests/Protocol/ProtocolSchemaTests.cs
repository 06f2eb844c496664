using System.Text.Json;
using Json.Schema;
using RecoveryStudy.Protocol;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>
/// seeds/protocol.schema.json (what editors check while typing) and <see cref="ProtocolValidator"/>
/// (what import checks) must agree: the schema rejects every broken case it can express, and the
/// cases it cannot (cross-references, time zones, overlaps) are named here.
/// </summary>
public sealed class ProtocolSchemaTests
{
    /// <summary>Broken cases only the validator catches, by why the schema cannot (or does not) say so.</summary>
    private static readonly string[] ValidatorOnly =
    [
        // Cross-references: a value checked against another part of the document.
        "unknown instrument in a wave", "unknown anchor in a wave", "unknown role in a wave", "duplicate item code",
        "duplicate wave code", "show-if pointing forward", "show-if on a missing item", "show-if with a code the item does not have",
        "option code used twice", "language used but not declared", "declared language missing in a text",
        "default language not declared", "score over a text item", "score mixing item types", "unknown placeholder",
        "cohort date on an undeclared anchor", "instrument asked in no wave",
        // Arithmetic across fields: windows, reminder days, sending hours.
        "overlapping windows on one anchor", "reminder after the window closed", "reminders out of order",
        "send time outside the sending hours",
        // Outside knowledge: the tz database, calendar dates, what the mail software parses.
        "unknown time zone", "cohort date that does not parse", "sender address with a comment the mail software drops",
        "contact address the mail software cannot read",
        // Conditional requirements the schema leaves to the validator (it could state them with if/then).
        "email body without the link", "last chance without its text", "choice item without options", "rating without scale end",
    ];

    internal static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Seeds.Folder, "protocol.schema.json")));

    [Theory]
    [InlineData(Seeds.RaCourse)]
    [InlineData(Seeds.FactPeer)]
    [InlineData(Seeds.FactProgramme)]
    public void Schema_accepts_each_seed_as_the_validator_does(string seed)
    {
        var json = Seeds.Read(seed);
        Assert.True(ProtocolValidator.Validate(json).IsValid);
        Assert.Empty(SchemaErrors(json));
    }

    [Fact]
    public void Schema_accepts_the_mini_protocol_as_the_validator_does()
    {
        Assert.True(ProtocolValidator.Validate(MiniProtocol.Json).IsValid);
        Assert.Empty(SchemaErrors(MiniProtocol.Json));
    }

    [Fact]
    public void Schema_rejects_every_broken_case_except_the_named_cross_reference_ones()
    {
        var disagreements = new List<string>();
        foreach (var broken in BrokenProtocolCases.List)
        {
            Assert.False(ProtocolValidator.Validate(broken.Json).IsValid, broken.Name);
            var schemaRejects = SchemaErrors(broken.Json).Count > 0;
            var validatorOnly = ValidatorOnly.Contains(broken.Name);
            if (schemaRejects == validatorOnly)
            {
                disagreements.Add(validatorOnly ? $"'{broken.Name}' is rejected by the schema: not validator-only" : $"'{broken.Name}' passes the schema");
            }
        }
        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    [Fact]
    public void Every_validator_only_name_is_a_broken_case()
    {
        var names = BrokenProtocolCases.List.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(ValidatorOnly, name => Assert.Contains(name, names));
    }

    internal static List<string> SchemaErrors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }
}
