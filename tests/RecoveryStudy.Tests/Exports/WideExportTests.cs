using RecoveryStudy.Exports;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Exports;

public sealed class WideExportTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Wide_per_wave_has_participant_invitation_item_option_and_score_columns_in_order()
    {
        var csv = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "baseline"));
        Assert.Equal(
            [
                "participant", "cohort", "role", "participant_status", "invitation_status", "due_date", "sent_at", "completed_at",
                "wellbeing_version", "wellbeing_source", "wb1", "wb2", "wb3", "wb4", "wb5", "mood", "worked", "job",
                "helpful_1", "helpful_2", "helpful_3", "comment", "started", "who5_pct",
                "hope_version", "hope_source", "h1", "h2", "h3", "h4", "h5", "hope_mean",
            ],
            csv.Header);
        Assert.Equal(["P-0001", "P-0002", "P-0003", "P-0004", "P-0005", "P-0006"], csv.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Wide_per_wave_holds_values_scores_and_each_missing_reason()
    {
        var csv = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "baseline"));
        Assert.Equal("completed", csv.Value("P-0001", "invitation_status"));
        Assert.Equal("68", csv.Value("P-0001", "who5_pct"));
        Assert.Equal(["1", "0", "1"], new[] { "helpful_1", "helpful_2", "helpful_3" }.Select(c => csv.Value("P-0001", c)));
        Assert.Equal("Very useful, \"truly\" thanks", csv.Value("P-0001", "comment"));
        Assert.Equal("2026-02-01", csv.Value("P-0001", "started"));
        Assert.Equal("5", csv.Value("P-0001", "hope_mean"));
        Assert.Equal("-6", csv.Value("P-0001", "h5"));
        Assert.Equal("web", csv.Value("P-0001", "wellbeing_source"));

        Assert.Equal("-1", csv.Value("P-0002", "wb3"));
        Assert.Equal("-5", csv.Value("P-0002", "who5_pct"));
        Assert.Equal("", csv.Value("P-0002", "job"));
        Assert.Equal("2.333333", csv.Value("P-0002", "hope_mean"));

        Assert.Equal("undeliverable", csv.Value("P-0006", "invitation_status"));
        // Unit nonresponse (invited, nothing of the instrument answered) is -7, never the item nonresponse code -1.
        Assert.Equal("-7", csv.Value("P-0006", "wb1"));
        Assert.Equal("-7", csv.Value("P-0006", "wellbeing_version"));
        Assert.Equal("import", csv.Value("P-0005", "wellbeing_source"));
        Assert.Equal("", csv.Value("P-0005", "sent_at"));

        var post = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "post"));
        Assert.Equal("not_invited", post.Value("P-0003", "invitation_status"));
        Assert.Equal(MissingCode.NotInvited.ToString(System.Globalization.CultureInfo.InvariantCulture), post.Value("P-0003", "wb1"));
        Assert.Equal("-4", post.Value("P-0004", "wb1"));
        Assert.Equal("-7", post.Value("P-0002", "wb1"));
        Assert.Equal("-7", post.Value("P-0002", "who5_pct"));
        Assert.DoesNotContain("hope_version", post.Header);

        var followup = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "followup"));
        Assert.Equal("-3", followup.Value("P-0003", "wb1"));
        Assert.Equal("-4", followup.Value("P-0004", "who5_pct"));
        Assert.Equal("1", followup.Value("P-0002", "wb1"));
        Assert.Equal("-1", followup.Value("P-0002", "wb2"));
        Assert.Equal("-5", followup.Value("P-0002", "who5_pct"));
        Assert.Equal("-7", followup.Value("P-0002", "hope_mean"));
        Assert.Equal("2", followup.Value("P-0001", "hope_version"));
        Assert.Equal("5.6", followup.Value("P-0001", "hope_mean"));
    }

    [Fact]
    public async Task Filters_by_cohort_role_and_completion()
    {
        var cohort = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "baseline", Cohort: "c9"));
        Assert.Equal(["P-0003", "P-0004"], cohort.Rows.Select(r => r[0]));
        var role = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "baseline", Role: "peer_worker"));
        Assert.Equal(["P-0003", "P-0006"], role.Rows.Select(r => r[0]));
        var complete = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Wide, "baseline", CompleteOnly: true));
        Assert.Equal(["P-0001", "P-0002", "P-0003", "P-0004", "P-0005"], complete.Rows.Select(r => r[0]));
        var acrossComplete = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.WideAcross, CompleteOnly: true));
        Assert.Equal(["P-0001"], acrossComplete.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Wide_across_waves_names_columns_item__wave()
    {
        var csv = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.WideAcross));
        Assert.Equal(["participant", "cohort", "role", "participant_status", "invitation_status__baseline"], csv.Header.Take(5));
        Assert.Contains("wb1__post", csv.Header);
        Assert.Contains("hope_mean__followup", csv.Header);
        Assert.DoesNotContain("hope_mean__post", csv.Header);
        Assert.Equal(["68", "80", "92"], new[] { "baseline", "post", "followup" }.Select(w => csv.Value("P-0001", "who5_pct__" + w)));
        Assert.Equal("-3", csv.Value("P-0003", "wb1__post"));
        Assert.Equal(6, csv.Rows.Count);
    }

    [Fact]
    public async Task Long_format_has_one_row_per_item_with_labels_and_missing_reasons()
    {
        var csv = await ExportRunner.ExportCsvAsync(database, study, new ExportRequest(TableKind.Long));
        Assert.Equal(["study", "cohort", "participant", "role", "wave", "instrument", "instrument_version", "item", "value", "value_label", "text", "missing", "source", "answered_at"], csv.Header);
        string[] Find(string participant, string wave, string item) =>
            csv.Rows.Single(r => csv.Cell(r, "participant") == participant && csv.Cell(r, "wave") == wave && csv.Cell(r, "item") == item);
        var mood = Find("P-0001", "baseline", "mood");
        Assert.Equal(("3", "Good", ""), (csv.Cell(mood, "value"), csv.Cell(mood, "value_label"), csv.Cell(mood, "missing")));
        var helpful = Find("P-0001", "baseline", "helpful");
        Assert.Equal(("", "1;3", "Lectures; Practice"), (csv.Cell(helpful, "value"), csv.Cell(helpful, "text"), csv.Cell(helpful, "value_label")));
        Assert.Equal("2026-03-02T09:05:00Z".Length, csv.Cell(helpful, "answered_at").Length);
        Assert.Equal("Less than half of the time", csv.Cell(Find("P-0001", "baseline", "wb3"), "value_label"));
        Assert.Equal("-2", csv.Cell(Find("P-0002", "baseline", "job"), "missing"));
        Assert.Equal("-1", csv.Cell(Find("P-0003", "baseline", "job"), "missing"));
        Assert.Equal("-7", csv.Cell(Find("P-0002", "post", "wb1"), "missing"));
        // An item behind a show-if in an instrument nobody answered is unit nonresponse, not "not shown".
        Assert.Equal("-7", csv.Cell(Find("P-0006", "baseline", "job"), "missing"));
        Assert.Equal("-4", csv.Cell(Find("P-0004", "post", "wb1"), "missing"));
        Assert.Equal("-3", csv.Cell(Find("P-0003", "followup", "wb1"), "missing"));
        Assert.Equal("import", csv.Cell(Find("P-0005", "baseline", "wb1"), "source"));
        Assert.Equal("2", csv.Cell(Find("P-0001", "followup", "h5"), "instrument_version"));
        Assert.DoesNotContain(csv.Rows, r => csv.Cell(r, "item") == "intro");
        // P-0001: 11 wellbeing items in each of 3 waves, hope v1 (4 items) at baseline and v2 (5) at follow-up.
        Assert.Equal(42, csv.Rows.Count(r => csv.Cell(r, "participant") == "P-0001"));
        Assert.DoesNotContain(csv.Rows, r => csv.Cell(r, "participant") == "P-0003" && csv.Cell(r, "wave") == "post");
    }
}
