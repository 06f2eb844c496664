using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.Protocol;

/// <summary>
/// The study's contact retention is a protocol setting (study.contact_retention_months, 1 to 240
/// or absent): validated with its path, applied on import, exported back, and shown on the dashboard.
/// </summary>
public sealed class RetentionProtocolTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Theory]
    [InlineData(1)]
    [InlineData(240)]
    public void Whole_months_from_1_to_240_are_valid(int months)
    {
        var result = ProtocolValidator.Validate(MiniProtocol.With(d => d["study"]!["contact_retention_months"] = months));
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.Equal(months, result.Protocol!.Study.ContactRetentionMonths);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(241)]
    public void Months_outside_1_to_240_are_refused_at_their_path(int months)
    {
        var result = ProtocolValidator.Validate(MiniProtocol.With(d => d["study"]!["contact_retention_months"] = months));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("$.study.contact_retention_months", "must be a whole number from 1 to 240"), (problem.Path, problem.Message));
    }

    [Fact]
    public async Task Import_sets_the_months_a_later_import_without_the_key_clears_them_and_export_gives_them_back()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var db = database.CreateContext();
        var code = "mini-keep-" + Guid.NewGuid().ToString("N")[..6];
        var first = await new ProtocolImporter(db, clock).ImportAsync(MiniProtocol.With(d =>
        {
            d["study"]!["code"] = code;
            d["study"]!["contact_retention_months"] = 24;
        }), Actor.Cli, CancellationToken.None);
        Assert.True(first.Succeeded, string.Join("; ", first.Problems));
        Assert.Equal(24, await db.Studies.Where(s => s.Id == first.StudyId).Select(s => s.ContactRetentionMonths).SingleAsync());
        Assert.Equal(24, (await ProtocolExporter.ReadAsync(db, code, CancellationToken.None))!.Study.ContactRetentionMonths);
        Assert.Contains("\"contact_retention_months\": 24", await ProtocolExporter.ExportAsync(db, code, CancellationToken.None), StringComparison.Ordinal);

        db.ChangeTracker.Clear();
        var second = await new ProtocolImporter(db, clock).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(second.Succeeded, string.Join("; ", second.Problems));
        Assert.Null(await db.Studies.Where(s => s.Id == first.StudyId).Select(s => s.ContactRetentionMonths).SingleAsync());
    }

    [Fact]
    public async Task Dashboard_shows_the_retention_the_protocol_set_or_that_contacts_are_kept()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var dashboard = new Uri($"/studies/{world.Study.Id}", UriKind.Relative);

        var kept = await researcher.GetAsync(dashboard);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Contains("Contact details are kept: the protocol sets no contact_retention_months.", await kept.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await db.Studies.Where(s => s.Id == world.Study.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ContactRetentionMonths, 18));
        var set = await (await researcher.GetAsync(dashboard)).Content.ReadAsStringAsync();
        Assert.Contains("Contact details are erased 18 months after the last wave closes", set, StringComparison.Ordinal);
    }
}
