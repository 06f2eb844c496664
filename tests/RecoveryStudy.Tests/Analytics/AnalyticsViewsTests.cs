using System.Globalization;
using Npgsql;
using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Analytics;

public sealed class AnalyticsViewsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private static readonly string[] Views = ["participants", "invitations", "items", "answers", "scores"];
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Analyst_role_reads_every_view_and_is_refused_contact_token_and_staff_tables()
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await Sql.ExecuteAsync(connection, "SET ROLE analyst_ro");
        foreach (var view in Views)
        {
            Assert.True(await Sql.ScalarAsync<long>(connection, $"SELECT count(*) FROM analytics.{view}") > 0, view);
        }
        foreach (var table in new[] { "contact_details", "access_tokens", "api_tokens", "staff_users", "participants", "answers" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync<long>(connection, $"SELECT count(*) FROM public.{table}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
        var write = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(connection, "CREATE TABLE analytics.mine (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
    }

    [Fact]
    public async Task No_view_carries_an_email_address_or_a_name()
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var view in Views)
        {
            var text = string.Join("\n", await Sql.ColumnAsync(connection, $"SELECT v::text FROM analytics.{view} v", r => r.GetString(0)));
            Assert.DoesNotContain("@", text);
            Assert.All(AnalystWorld.Names, name => Assert.DoesNotContain(name.Split(' ')[1], text, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Scores_view_agrees_with_the_exported_scores()
    {
        await using var dataSource = database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        var viewScores = await Sql.ColumnAsync(connection, $"SELECT participant, wave, score, value FROM analytics.scores WHERE study = '{study}'",
            r => (Participant: r.GetString(0), Wave: r.GetString(1), Score: r.GetString(2), Value: r.IsDBNull(3) ? (decimal?)null : r.GetDecimal(3)));
        Assert.Equal(11, viewScores.Count);
        var csv = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.WideAcross));
        foreach (var (participant, wave, score, value) in viewScores)
        {
            var exported = csv.Value(participant, $"{score}__{wave}");
            Assert.Equal(value is { } v ? Cells.Number(v) : null, exported.StartsWith('-') ? null : exported);
        }
        Assert.Contains(viewScores, s => s.Value == 2.333333m);
        Assert.Contains(viewScores, s => s.Value is null);
        Assert.Equal("68", Cells.Number(viewScores.Single(s => s.Participant == "P-0001" && s.Wave == "baseline" && s.Score == "who5_pct").Value!.Value));
        Assert.Equal(5.6m.ToString(CultureInfo.InvariantCulture), Cells.Number(viewScores.Single(s => s.Participant == "P-0001" && s.Wave == "followup" && s.Score == "hope_mean").Value!.Value));
    }
}
