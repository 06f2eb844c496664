using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using static RecoveryStudy.Tests.Protocol.ConsentProtocolTests;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>A consent text is versioned across imports: the stored protocol keeps it, and a changed text needs a higher version.</summary>
public sealed class ConsentImportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<ProtocolImportResult> ImportAsync(string json)
    {
        await using var db = database.CreateContext();
        return await new ProtocolImporter(db, TimeProvider.System).ImportAsync(json, Actor.Cli, CancellationToken.None);
    }

    [Fact]
    public async Task Changed_consent_text_under_the_same_version_is_refused_and_a_higher_version_is_accepted()
    {
        var first = await ImportAsync(WithConsent(study: "consent-versions"));
        Assert.True(first.Succeeded);

        var reworded = WithConsent(c => c["clauses"]![1]!["text"]!["en"] = "You may contact me again.", "consent-versions");
        var refused = await ImportAsync(reworded);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(new ProtocolProblem("$.consent.version",
            "the consent text or clauses changed; give it a version above 2 so that every agreement names the text it was given for"), problem);

        var lower = await ImportAsync(WithConsent(c => c["version"] = 1, "consent-versions"));
        Assert.Equal("$.consent.version", Assert.Single(lower.Problems).Path);

        var raised = await ImportAsync(WithConsent(c =>
        {
            c["clauses"]![1]!["text"]!["en"] = "You may contact me again.";
            c["version"] = 3;
        }, "consent-versions"));
        Assert.True(raised.Succeeded, string.Join("; ", raised.Problems));
        Assert.Contains("consent 'main' version 3 is now asked, again of those who agreed to an earlier version", raised.Changes);

        await using var db = database.CreateContext();
        var stored = await db.ProtocolVersions.Where(v => v.StudyId == first.StudyId).OrderBy(v => v.Version).Select(v => v.Document).ToListAsync();
        Assert.Equal([2, 3], stored.Select(d => ProtocolJson.Deserialize(d).Consent!.Version));
        Assert.Equal("You may contact me again.", ProtocolJson.Deserialize(stored[1]).Consent!.Clauses[1].Text["en"]);
    }

    [Fact]
    public async Task Exported_protocol_keeps_the_consent_and_imports_again_without_changes()
    {
        var json = WithConsent(study: "consent-export");
        Assert.True((await ImportAsync(json)).Succeeded);
        await using var db = database.CreateContext();
        var exported = await ProtocolExporter.ExportAsync(db, "consent-export", CancellationToken.None);
        var consent = ProtocolJson.Deserialize(exported!).Consent;
        Assert.Equal(["take_part", "future_contact"], consent!.Clauses.Select(c => c.Code));
        var again = await ImportAsync(exported!);
        Assert.True(again.Succeeded, string.Join("; ", again.Problems));
        Assert.DoesNotContain(again.Changes, c => c.StartsWith("consent", StringComparison.Ordinal));
    }
}
