using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Exports;
using RecoveryStudy.Reports;
using RecoveryStudy.Statistics;
using RecoveryStudy.Studies;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Pages.Console.Data;

namespace RecoveryStudy.Tests.StaffConsole.Data;

/// <summary>
/// The analyst pages against the analyst study: every figure shown is the one the core computes
/// from the seeded answers, downloads carry no personal data and are audited, bad input is named
/// next to its field.
/// </summary>
public sealed class AnalystPagesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private Study study = null!;

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestApp App, HttpClient Client, int UserId)> SignInAsync(string role = StaffRole.Analyst)
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, role);
        var app = await TestApp.StartAsync(database.ConnectionString);
        return (app, await StaffSession.SignInAsync(app, user.Email), user.Id);
    }

    private static async Task<(HttpStatusCode Status, IHtmlDocument Page)> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    private async Task<StudyLayout> LayoutAsync()
    {
        await using var db = database.CreateContext();
        return (await StudyLayout.LoadAsync(db, study.Code, CancellationToken.None))!;
    }

    [Fact]
    public async Task Compare_page_shows_the_pairs_means_and_tests_the_core_computes_and_the_left_out_reasons()
    {
        var (app, client, _) = await SignInAsync();
        await using var _app = app;
        using var _client = client;
        var layout = await LayoutAsync();
        var (variables, _) = WaveComparison.Resolve(layout.Wave("baseline")!, layout.Wave("followup")!, null, "wb1");
        await using var dataSource = database.CreateDataSource();
        var expected = (await WaveComparison.CompareAsync(dataSource, layout, layout.Wave("baseline")!, layout.Wave("followup")!, variables, new ParticipantFilter(), CancellationToken.None)).Single();
        var r = expected.Result!;

        var (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/compare?from=baseline&to=followup&item=wb1");
        Assert.Equal(HttpStatusCode.OK, status);
        string Stat(string name) => page.QuerySelector($"#compare-wb1 tr[data-stat='{name}'] td")?.TextContent.Trim() ?? "(missing)";
        Assert.Equal(r.Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture), Stat("pairs"));
        Assert.Equal(2, r.Pairs);
        Assert.Equal(Figures.N(r.MeanDifference), Stat("mean-difference"));
        Assert.Equal($"{Figures.N(r.From.Mean)} ({Figures.N(r.From.StandardDeviation)})", Stat("mean-from"));
        Assert.Equal($"{Figures.N(r.ConfidenceLower)} to {Figures.N(r.ConfidenceUpper)}", Stat("ci"));
        Assert.Equal(Figures.N(r.T), Stat("t"));
        Assert.Equal(Figures.P(r.P), Stat("p"));
        Assert.Equal(Figures.N(r.CohensDz), Stat("dz"));
        Assert.Contains(r.Wilcoxon!.Method, Stat("wilcoxon-method"), StringComparison.Ordinal);
        var leftOut = page.QuerySelectorAll("#compare-wb1 table.left-out tbody tr").Select(tr => tr.TextContent).ToList();
        Assert.Equal(expected.LeftOut.Count, leftOut.Count);
        Assert.All(expected.LeftOut, l => Assert.Contains(leftOut, row => row.Contains(l.Reason, StringComparison.Ordinal)));
        var main = page.QuerySelector("main")!.TextContent;
        Assert.DoesNotContain("@", main, StringComparison.Ordinal);
        Assert.All(AnalystWorld.Names, name => Assert.DoesNotContain(name, main, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Compare_page_names_a_bad_item_or_wave_next_to_its_field()
    {
        var (app, client, _) = await SignInAsync(StaffRole.Admin);
        await using var _app = app;
        using var _client = client;

        var (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/compare?from=baseline&to=followup&item=nosuch");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nosuch", page.QuerySelector("#item-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);
        Assert.Equal("item-error", page.QuerySelector("#item")?.GetAttribute("aria-describedby"));
        Assert.Empty(page.QuerySelectorAll("section.comparison"));

        (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/compare?from=baseline&to=month99&item=comment");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("month99", page.QuerySelector("#to-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);

        (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/compare?from=baseline&to=followup&item=comment");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("only ratings", page.QuerySelector("#item-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distribution_page_shows_the_percentages_n_and_top_2_box_the_core_computes()
    {
        var (app, client, _) = await SignInAsync();
        await using var _app = app;
        using var _client = client;
        var layout = await LayoutAsync();
        await using var dataSource = database.CreateDataSource();
        var expected = await AnswerDistribution.ComputeAsync(dataSource, layout, layout.Wave("baseline")!, "wellbeing", new ParticipantFilter("c8"), CancellationToken.None);

        var (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/distribution?wave=baseline&instrument=wellbeing&cohort=c8");
        Assert.Equal(HttpStatusCode.OK, status);
        var wb1 = expected.Single(d => d.Item == "wb1");
        Assert.Equal(3, wb1.N); // P-0001, P-0002, P-0005 are in cohort c8
        var section = page.QuerySelector("#dist-wellbeing-wb1")!;
        Assert.Equal("3", section.QuerySelector("[data-stat='n']")?.TextContent);
        Assert.Equal(Figures.Percent(wb1.TopTwoBox), section.QuerySelector("[data-stat='top2']")?.TextContent);
        foreach (var option in wb1.Options)
        {
            Assert.Equal(Figures.Percent(option.Percent), section.QuerySelector($"tr[data-code='{option.Code}'] [data-stat='percent']")?.TextContent);
        }
        Assert.Equal("66.7%", section.QuerySelector("tr[data-code='2'] [data-stat='percent']")?.TextContent); // two of three answered 2
        Assert.Equal(expected.Count, page.QuerySelectorAll("section.distribution").Length);

        (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/distribution?wave=post&instrument=hope");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("hope", page.QuerySelector("#instrument-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_page_shows_the_report_figures_retention_and_the_flow_figure_inline()
    {
        var (app, client, _) = await SignInAsync();
        await using var _app = app;
        using var _client = client;
        await using var dataSource = database.CreateDataSource();
        var report = (await ResponseReport.ComputeAsync(dataSource, study.Code, CancellationToken.None))!;

        var (status, page) = await GetPageAsync(client, $"/studies/{study.Id}/responses");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var row in report.Rows)
        {
            var tr = page.QuerySelector($"#responses tr[data-wave='{row.Wave}'][data-cohort='{row.Cohort ?? ResponseReport.AllCohorts}']")!;
            Assert.Equal(row.Eligible.ToString(System.Globalization.CultureInfo.InvariantCulture), tr.QuerySelector("[data-stat='eligible']")?.TextContent);
            Assert.Equal(row.Completed.ToString(System.Globalization.CultureInfo.InvariantCulture), tr.QuerySelector("[data-stat='completed']")?.TextContent);
            Assert.Equal(row.Withdrawn.ToString(System.Globalization.CultureInfo.InvariantCulture), tr.QuerySelector("[data-stat='withdrawn']")?.TextContent);
        }
        Assert.Equal("5", page.QuerySelector("#responses tr[data-wave='baseline'][data-cohort='(all)'] [data-stat='completed']")?.TextContent);
        var post = report.Retention.Single(r => r.Wave == "post");
        Assert.Equal(post.AlsoCompleted.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("#retention tr[data-wave='post'] [data-stat='also']")?.TextContent);
        var svg = page.QuerySelector("#flow svg");
        Assert.NotNull(svg);
        Assert.Contains("Completed: 5", svg.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("#flow script"));
    }

    [Fact]
    public async Task Data_downloads_stream_the_table_and_its_documents_without_personal_data_and_each_is_audited()
    {
        var (app, client, userId) = await SignInAsync();
        await using var _app = app;
        using var _client = client;
        var path = $"/studies/{study.Id}/data";
        async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> fields) => await StaffSession.PostFormAsync(client, path, fields);

        var wide = await PostAsync(new() { ["shape"] = "wide", ["wave"] = "baseline", ["format"] = "csv", ["download"] = "table" });
        Assert.Equal(HttpStatusCode.OK, wide.StatusCode);
        Assert.Equal("text/csv", wide.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", wide.Content.Headers.ContentDisposition?.DispositionType);
        var text = await wide.Content.ReadAsStringAsync();
        var csv = Csv.Parse(text);
        Assert.Contains("participant", csv.Header);
        Assert.Contains("wb1", csv.Header);
        Assert.Equal("68", csv.Value("P-0001", "who5_pct"));
        Assert.Equal(await ExportRunner.ExportAsync(database, study.Code, new ExportRequest(TableKind.Wide, "baseline")), Encoding.UTF8.GetBytes(text));

        var filtered = Csv.Parse(await (await PostAsync(new() { ["shape"] = "wide-across", ["cohort"] = "c9", ["format"] = "csv", ["download"] = "table" })).Content.ReadAsStringAsync());
        Assert.Equal(["P-0003", "P-0004"], filtered.Rows.Select(r => filtered.Cell(r, "participant")).Order(StringComparer.Ordinal));

        var documents = new StringBuilder(text);
        foreach (var (content, marker) in new[] { ("codebook", "variable"), ("r", "factor("), ("spss", "VALUE LABELS"), ("stata", "mvdecode") })
        {
            var response = await PostAsync(new() { ["shape"] = "long", ["format"] = "csv", ["download"] = content });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(marker, body, StringComparison.Ordinal);
            documents.Append(body);
        }
        var parquet = await PostAsync(new() { ["shape"] = "long", ["format"] = "parquet", ["download"] = "table" });
        Assert.Equal(HttpStatusCode.OK, parquet.StatusCode);
        var bytes = await parquet.Content.ReadAsByteArrayAsync();
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, bytes.Length - 4, 4));
        Assert.Contains(".parquet", parquet.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);

        var all = documents.ToString();
        Assert.DoesNotContain("@", all, StringComparison.Ordinal);
        Assert.All(AnalystWorld.Names.SelectMany(n => n.Split(' ')), name => Assert.DoesNotContain(name, all, StringComparison.OrdinalIgnoreCase));

        await using var db = database.CreateContext();
        var audits = await db.AuditEntries.Where(a => a.Action == "data.export" && a.StaffUserId == userId).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(7, audits.Count);
        Assert.All(audits, a => Assert.Equal(study.Id, a.StudyId));
        // Details are stored as jsonb, which writes its own spacing.
        Assert.All(audits, a => Assert.Contains("\"via\":\"console\"", (a.Details ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains("\"parquet\":true", (audits[^1].Details ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(audits, a => Assert.Contains("\"raw_text\":false", (a.Details ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));

        var raw = await PostAsync(new() { ["shape"] = "wide", ["wave"] = "baseline", ["format"] = "csv", ["rawText"] = "true", ["download"] = "table" });
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("68", Csv.Parse(await raw.Content.ReadAsStringAsync()).Value("P-0001", "who5_pct"));
        var last = await db.AuditEntries.Where(a => a.Action == "data.export" && a.StaffUserId == userId).OrderBy(a => a.Id).LastAsync();
        Assert.Contains("\"raw_text\":true", (last.Details ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_export_choice_is_named_next_to_its_field_and_nothing_is_audited()
    {
        var (app, client, userId) = await SignInAsync(StaffRole.Researcher);
        await using var _app = app;
        using var _client = client;
        var path = $"/studies/{study.Id}/data";

        var response = await StaffSession.PostFormAsync(client, path, new() { ["shape"] = "wide", ["format"] = "csv", ["download"] = "table" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("per wave", page.QuerySelector("#wave-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);

        response = await StaffSession.PostFormAsync(client, path, new() { ["shape"] = "long", ["wave"] = "month99", ["cohort"] = "c77", ["format"] = "csv", ["download"] = "table" });
        page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("month99", page.QuerySelector("#wave-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);
        Assert.Contains("c77", page.QuerySelector("#cohort-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);
        Assert.Contains("(cohorts: c8, c9)", page.QuerySelector("#cohort-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);

        response = await StaffSession.PostFormAsync(client, path, new() { ["shape"] = "long", ["role"] = "nurse", ["format"] = "csv", ["download"] = "table" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("(roles: peer_worker, trainee)", page.QuerySelector("#role-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);

        response = await StaffSession.PostFormAsync(client, path, new() { ["shape"] = "long", ["format"] = "xlsx", ["download"] = "table" });
        page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("Parquet", page.QuerySelector("#format-error")?.TextContent ?? "(no message)", StringComparison.Ordinal);

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action == "data.export" && a.StaffUserId == userId));
    }

    [Fact]
    public async Task A_download_without_the_anti_forgery_token_is_refused_and_not_audited()
    {
        var (app, client, userId) = await SignInAsync();
        await using var _app = app;
        using var _client = client;

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["shape"] = "long", ["format"] = "csv", ["download"] = "table" });
        var response = await client.PostAsync(new Uri($"/studies/{study.Id}/data", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("P-0001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action == "data.export" && a.StaffUserId == userId));
    }

    [Fact]
    public async Task The_study_navigation_offers_the_analyst_pages()
    {
        var (app, client, _) = await SignInAsync();
        await using var _app = app;
        using var _client = client;
        var (_, page) = await GetPageAsync(client, $"/studies/{study.Id}");
        foreach (var target in new[] { "data", "compare", "distribution", "responses" })
        {
            Assert.NotNull(page.QuerySelector($"nav a[href='/studies/{study.Id}/{target}']"));
        }
        var (_, data) = await GetPageAsync(client, $"/studies/{study.Id}/data");
        Assert.Equal("page", data.QuerySelector($"nav a[href='/studies/{study.Id}/data']")?.GetAttribute("aria-current"));
    }
}
