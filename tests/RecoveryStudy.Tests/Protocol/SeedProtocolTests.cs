using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Protocol;

public sealed class SeedProtocolTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(Seeds.RaCourse)]
    [InlineData(Seeds.FactPeer)]
    [InlineData(Seeds.FactProgramme)]
    public void Seed_file_validates(string seed)
    {
        var result = ProtocolValidator.Validate(Seeds.Read(seed));
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.NotNull(result.Protocol);
    }

    [Theory]
    [InlineData(Seeds.RaCourse)]
    [InlineData(Seeds.FactPeer)]
    [InlineData(Seeds.FactProgramme)]
    public async Task Seed_imported_into_a_fresh_database_exports_back_equal(string seed)
    {
        var json = Seeds.Read(seed);
        await using var db = database.CreateContext();
        var importer = new ProtocolImporter(db, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)));
        var result = await importer.ImportAsync(json, Actor.Cli, CancellationToken.None);
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, result.Version);

        await using var reader = database.CreateContext();
        var exported = await ProtocolExporter.ExportAsync(reader, ProtocolValidator.Validate(json).Protocol!.Study.Code, CancellationToken.None);
        Assert.NotNull(exported);
        var expected = JsonNode.Parse(json)!.AsObject();
        expected.Remove("$schema");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(exported)), "The export differs from the seed file:\n" + exported);
        Assert.True(ProtocolValidator.Validate(exported).IsValid);
    }

    [Fact]
    public async Task Importing_the_same_seed_twice_changes_nothing_the_second_time()
    {
        var json = Seeds.Read(Seeds.FactPeer).Replace("\"fact-peer\"", "\"fact-peer-twice\"", StringComparison.Ordinal);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        await using (var db = database.CreateContext())
        {
            Assert.True((await new ProtocolImporter(db, clock).ImportAsync(json, Actor.Cli, CancellationToken.None)).Succeeded);
        }
        await using (var db = database.CreateContext())
        {
            var again = await new ProtocolImporter(db, clock).ImportAsync(json, Actor.Cli, CancellationToken.None);
            Assert.True(again.Succeeded);
            Assert.Equal(1, again.Version);
            Assert.StartsWith("no changes", Assert.Single(again.Changes), StringComparison.Ordinal);
            var study = await db.Studies.SingleAsync(s => s.Code == "fact-peer-twice");
            Assert.Equal(1, await db.ProtocolVersions.CountAsync(v => v.StudyId == study.Id));
        }
    }
}
