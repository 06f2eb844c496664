using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Protocol;

public sealed class ProtocolValidatorTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public void Mini_protocol_is_valid()
    {
        var result = ProtocolValidator.Validate(MiniProtocol.Json);
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.True(result.IsValid);
    }

    [Theory]
    [MemberData(nameof(BrokenProtocolCases.All), MemberType = typeof(BrokenProtocolCases))]
    public async Task Broken_protocol_is_reported_at_its_path_and_writes_nothing(BrokenProtocolCases.Case broken)
    {
        var result = ProtocolValidator.Validate(broken.Json);
        Assert.False(result.IsValid);
        Assert.Contains(new ProtocolProblem(broken.Path, broken.Message), result.Problems);

        await using var db = database.CreateContext();
        var import = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(broken.Json, Actor.Cli, CancellationToken.None);
        Assert.False(import.Succeeded);
        Assert.Equal(0, await db.Studies.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public void There_are_at_least_twenty_distinct_broken_protocols()
    {
        var cases = BrokenProtocolCases.List;
        Assert.True(cases.Count >= 20);
        Assert.Equal(cases.Count, cases.Select(c => c.Json).Distinct().Count());
    }

    [Fact]
    public void Malformed_json_gives_line_and_column()
    {
        var json = "{\n  \"format\": 1,\n  \"study\": {\n    \"code\": \"x\"\n    \"title\": {}\n  }\n}";
        var problem = Assert.Single(ProtocolValidator.Validate(json).Problems);
        Assert.Equal("$", problem.Path);
        Assert.StartsWith("not valid JSON at line 5, column 5:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run()
    {
        var json = MiniProtocol.With(d =>
        {
            MiniProtocol.Wave(d, 1)["offset"]!["months"] = 200;
            MiniProtocol.Wave(d, 0)["anchor"] = "nowhere";
            MiniProtocol.Item(d, 3)["show_if"]!["item"] = "comment";
            d["study"]!["time_zone"] = "Mars/Olympus";
        });
        var paths = ProtocolValidator.Validate(json).Problems.Select(p => p.Path).ToList();
        Assert.Contains("$.waves[1].offset.months", paths);
        Assert.Contains("$.waves[0].anchor", paths);
        Assert.Contains("$.instruments[0].items[3].show_if.item", paths);
        Assert.Contains("$.study.time_zone", paths);
    }
}
