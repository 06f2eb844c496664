using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Api;

public sealed class DataApiTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(StaffUser User, string Token)> TokenAsync(string role)
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, role);
        return (user, await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "test", CancellationToken.None));
    }

    [Fact]
    public async Task An_analyst_token_streams_exports_and_reports_without_personal_data_and_each_export_is_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var (user, token) = await TokenAsync(StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var wide = await client.GetAsync(new Uri($"/api/studies/{study}/export?format=wide&wave=baseline", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, wide.StatusCode);
        Assert.Equal("text/csv", wide.Content.Headers.ContentType?.MediaType);
        var csv = Csv.Parse(await wide.Content.ReadAsStringAsync());
        Assert.Equal("68", csv.Value("P-0001", "who5_pct"));
        var all = await client.GetStringAsync(new Uri($"/api/studies/{study}/export?format=long", UriKind.Relative))
            + await client.GetStringAsync(new Uri($"/api/studies/{study}/compare?from=baseline&to=followup&item=wb1", UriKind.Relative))
            + await client.GetStringAsync(new Uri($"/api/studies/{study}/distribution?wave=baseline&format=csv", UriKind.Relative))
            + await client.GetStringAsync(new Uri($"/api/studies/{study}/responses", UriKind.Relative))
            + await client.GetStringAsync(new Uri($"/api/studies/{study}/export?format=spss", UriKind.Relative))
            + await client.GetStringAsync(new Uri($"/api/studies/{study}/export?format=stata", UriKind.Relative));
        Assert.Contains("\"pairs\": 2", all);
        Assert.Contains("VALUE LABELS", all);
        Assert.Contains("mvdecode", all);
        Assert.DoesNotContain("@", all);
        Assert.All(AnalystWorld.Names.SelectMany(n => n.Split(' ')), name => Assert.DoesNotContain(name, all, StringComparison.OrdinalIgnoreCase));

        await using var db = database.CreateContext();
        var audits = await db.AuditEntries.Where(a => a.Action == "data.export" && a.StaffUserId == user.Id).ToListAsync();
        Assert.Equal(4, audits.Count);
        Assert.All(audits, a => Assert.DoesNotContain("@", a.Details ?? ""));
    }

    [Fact]
    public async Task No_token_a_wrong_token_a_revoked_token_or_a_staff_cookie_is_refused()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var path = new Uri($"/api/studies/{study}/responses", UriKind.Relative);
        using var anonymous = app.CreateClient(followRedirects: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        var (user, token) = await TokenAsync(StaffRole.Researcher);
        using var wrong = app.CreateClient(followRedirects: false);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^1] + (token[^1] == 'A' ? 'B' : 'A'));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);

        using var good = app.CreateClient(followRedirects: false);
        good.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync(path)).StatusCode);
        await using (var db = database.CreateContext())
        {
            await db.ApiTokens.Where(t => t.StaffUserId == user.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, DateTime.UtcNow));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await good.GetAsync(path)).StatusCode);

        using var cookie = await StaffSession.SignInAsync(app, user.Email);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookie.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("export?format=long&cohort=c7", "cohort: the study has no cohort 'c7' (cohorts: c8, c9)")]
    [InlineData("export?format=wide-across&role=nurse", "role: the study has no role 'nurse' (roles: peer_worker, trainee)")]
    [InlineData("export?format=long&wave=month99", "wave: the study has no wave 'month99' (waves: baseline, post, followup)")]
    [InlineData("compare?from=baseline&to=followup&item=wb1&cohort=c7", "cohort: the study has no cohort 'c7' (cohorts: c8, c9)")]
    [InlineData("compare?from=baseline&to=month99&item=wb1", "to: the study has no wave 'month99' (waves: baseline, post, followup)")]
    [InlineData("distribution?wave=baseline&cohort=c7&format=csv", "cohort: the study has no cohort 'c7' (cohorts: c8, c9)")]
    public async Task An_unknown_wave_cohort_or_role_is_a_400_naming_it_and_the_known_values_and_is_not_audited(string query, string error)
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var (user, token) = await TokenAsync(StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync(new Uri($"/api/studies/{study}/{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action == "data.export" && a.StaffUserId == user.Id));
    }

    [Fact]
    public async Task A_raw_text_export_is_audited_as_such()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var (user, token) = await TokenAsync(StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var csv = Csv.Parse(await client.GetStringAsync(new Uri($"/api/studies/{study}/export?format=wide&wave=baseline&raw=true", UriKind.Relative)));

        Assert.Equal("68", csv.Value("P-0001", "who5_pct"));
        await using var db = database.CreateContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "data.export" && a.StaffUserId == user.Id);
        Assert.Contains("\"raw_text\":true", (audit.Details ?? "").Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
