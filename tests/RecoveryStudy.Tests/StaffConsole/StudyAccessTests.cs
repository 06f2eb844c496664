using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// Route x study x site: every mapped study route (console and API) refuses a member of another
/// study, a site-limited member is refused another site's participant and never reads another
/// site's participant code in any page, API answer or export.
/// </summary>
public sealed class StudyAccessTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Every_route_with_a_parameter_is_resolved_to_a_study_or_is_about_none()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var unresolved = RouteRules.Read(app.Services)
            .Where(r => r.Rule != RouteRules.Anonymous && r.Pattern.Contains('{', StringComparison.Ordinal) && !r.IsStudyRoute && !r.Pattern.StartsWith("/hangfire/", StringComparison.Ordinal))
            .Select(r => r.Key).ToList();
        Assert.True(unresolved.Count == 0, "Protected routes whose parameters name no study: " + string.Join(", ", unresolved));
    }

    [Fact]
    public async Task A_researcher_of_study_A_gets_403_on_every_route_of_study_B()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var world = await StudyAccessWorld.CreateAsync(db);
        var researcher = await world.MemberOfAAsync(db, StaffRole.Researcher, StudyMemberRole.Researcher);
        using var console = await StaffSession.SignInAsync(app, researcher.Email, joinStudies: false);
        using var api = await ApiClientAsync(app, db, researcher);

        var routes = RouteRules.Read(app.Services).Where(r => r.IsStudyRoute).ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} study routes were found");
        foreach (var route in routes)
        {
            var client = route.Policies.Contains(ApiTokenAuth.DataPolicy) ? api : console;
            var query = route.Policies.Contains(ApiTokenAuth.DataPolicy) ? "?format=long&from=baseline&to=followup&wave=baseline" : "";
            var other = await client.GetAsync(new Uri(RouteRules.PathFor(route.Pattern, world.IdsB) + query, UriKind.Relative));
            Assert.True(other.StatusCode == HttpStatusCode.Forbidden, $"{route.Pattern} of study B answered {(int)other.StatusCode} to a researcher of study A");
            var own = await client.GetAsync(new Uri(RouteRules.PathFor(route.Pattern, world.IdsA) + query, UriKind.Relative));
            var allowed = route.Policies.All(p => p != StaffPolicies.Admin);
            Assert.True(allowed == (own.StatusCode != HttpStatusCode.Forbidden), $"{route.Pattern} of study A answered {(int)own.StatusCode} to its researcher");
        }

        // The study list shows member studies only.
        var home = await console.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains(world.A.Study.Code, home, StringComparison.Ordinal);
        Assert.DoesNotContain(world.B.Study.Code, home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_limited_member_is_refused_another_sites_participant_and_whole_study_actions()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var world = await StudyAccessWorld.CreateAsync(db);
        var member = await world.MemberOfAAsync(db, StaffRole.Researcher, StudyMemberRole.Researcher, world.CohortId("c8"));
        using var client = await StaffSession.SignInAsync(app, member.Email, joinStudies: false);

        var routes = RouteRules.Read(app.Services).Where(r => r.IsStudyRoute && !r.Policies.Contains(ApiTokenAuth.DataPolicy)).ToList();
        foreach (var route in routes.Where(r => r.IsParticipantRoute))
        {
            var other = await client.GetAsync(new Uri(RouteRules.PathFor(route.Pattern, world.IdsAOtherSite), UriKind.Relative));
            Assert.True(other.StatusCode == HttpStatusCode.Forbidden, $"{route.Pattern} of another site's participant answered {(int)other.StatusCode}");
            var own = await client.GetAsync(new Uri(RouteRules.PathFor(route.Pattern, world.IdsA), UriKind.Relative));
            Assert.True(own.StatusCode != HttpStatusCode.Forbidden, $"{route.Pattern} of the member's own site answered 403");
        }
        foreach (var route in routes.Where(r => r.WholeStudyOnly))
        {
            var response = await client.GetAsync(new Uri(RouteRules.PathFor(route.Pattern, world.IdsA), UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Pattern} (whole study only) answered {(int)response.StatusCode} to a site-limited researcher");
        }
    }

    [Fact]
    public async Task A_site_limited_member_never_sees_another_sites_participant_code_in_pages_api_or_exports()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var world = await StudyAccessWorld.CreateAsync(db);
        var member = await world.MemberOfAAsync(db, StaffRole.Analyst, StudyMemberRole.DataManager, world.CohortId("c8"));
        using var client = await StaffSession.SignInAsync(app, member.Email, joinStudies: false);
        using var api = await ApiClientAsync(app, db, member);
        var bodies = new List<(string Where, string Body)>();

        foreach (var route in RouteRules.Read(app.Services).Where(r => r.IsStudyRoute))
        {
            var isApi = route.Policies.Contains(ApiTokenAuth.DataPolicy);
            var path = RouteRules.PathFor(route.Pattern, world.IdsA);
            string[] queries = isApi
                ? ["?format=long", "?format=wide-across", "?format=wide&wave=baseline", "?format=parquet&table=long", "?from=baseline&to=followup&score=who5_pct", "?from=baseline&to=followup&score=who5_pct&format=csv", "?wave=baseline", "?wave=baseline&format=csv", "", "?format=csv", "?format=svg"]
                : ["", "?q=P-000", "?status=active", "?p=1"];
            foreach (var query in queries)
            {
                var response = await (isApi ? api : client).GetAsync(new Uri(path + query, UriKind.Relative));
                bodies.Add(($"{path}{query} ({(int)response.StatusCode})", await response.Content.ReadAsStringAsync()));
            }
        }
        foreach (var shape in new[] { "long", "wide-across" })
        {
            var download = await StaffSession.PostFormAsync(client, $"/studies/{world.A.Study.Id}/data", new() { ["Shape"] = shape, ["Format"] = "csv", ["Download"] = "table" });
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            bodies.Add(($"console download {shape}", await download.Content.ReadAsStringAsync()));
        }

        foreach (var (where, body) in bodies)
        {
            foreach (var code in StudyAccessWorld.NotC8)
            {
                Assert.False(body.Contains(code, StringComparison.Ordinal), $"{where} shows {code}, a participant of another site");
            }
        }
        // The scan read real content: the member's own participants are there.
        foreach (var page in new[] { $"/studies/{world.A.Study.Id}/participants ", $"/studies/{world.A.Study.Id}/grid ", $"/studies/{world.A.Study.Id}/bounces ", "console download long" })
        {
            var (where, body) = bodies.First(b => b.Where.StartsWith(page, StringComparison.Ordinal));
            Assert.True(SiteOwn(body), $"{where} shows none of the member's own participants");
        }
        Assert.True(SiteOwn(bodies.First(b => b.Where.Contains("/export?format=long ", StringComparison.Ordinal)).Body), "the API's long export holds none of the member's participants");
        // Figures count the member's sites only: 3 of A's 6 participants are in c8.
        var responses = bodies.First(b => b.Where.Contains("/responses?format=csv ", StringComparison.Ordinal)).Body;
        Assert.DoesNotContain("c9", responses, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_adds_changes_and_removes_a_member_on_the_members_page_audited()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var world = await StudyAccessWorld.CreateAsync(db);
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin, joinStudies: false);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst, joinStudies: false);
        using var adminClient = await StaffSession.SignInAsync(app, admin.Email, joinStudies: false);
        using var analystClient = await StaffSession.SignInAsync(app, analyst.Email, joinStudies: false);
        var members = $"/studies/{world.A.Study.Id}/members";
        var participant = new Uri($"/participants/{world.IdsAOtherSite.ParticipantId}", UriKind.Relative);

        Assert.Equal(HttpStatusCode.Forbidden, (await analystClient.GetAsync(participant)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analystClient.GetAsync(new Uri(members, UriKind.Relative))).StatusCode);

        var bad = await StaffSession.PostFormAsync(adminClient, members + "?handler=Set", new() { ["userId"] = analyst.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["role"] = "owner" }, members);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Role: choose one of", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await db.StudyMembers.AnyAsync(m => m.StaffUserId == analyst.Id));

        var add = await StaffSession.PostFormAsync(adminClient, members + "?handler=Set", new() { ["userId"] = analyst.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["role"] = StudyMemberRole.Viewer }, members);
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analystClient.GetAsync(participant)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analystClient.GetAsync(new Uri($"/studies/{world.A.Study.Id}/data", UriKind.Relative))).StatusCode);

        var limit = await StaffSession.PostFormAsync(adminClient, members + "?handler=Set", new() { ["userId"] = analyst.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["role"] = StudyMemberRole.Analyst, ["sites"] = world.CohortId("c8").ToString(System.Globalization.CultureInfo.InvariantCulture) }, members);
        Assert.Equal(HttpStatusCode.Redirect, limit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analystClient.GetAsync(participant)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analystClient.GetAsync(new Uri($"/participants/{world.IdsA.ParticipantId}", UriKind.Relative))).StatusCode);

        var remove = await StaffSession.PostFormAsync(adminClient, members + "?handler=Remove", new() { ["userId"] = analyst.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, members);
        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analystClient.GetAsync(new Uri($"/studies/{world.A.Study.Id}", UriKind.Relative))).StatusCode);

        var audited = await db.AuditEntries.Where(e => e.StudyId == world.A.Study.Id && e.Action.StartsWith("study.member_")).Select(e => e.Action).ToListAsync();
        Assert.Equal(["study.member_add", "study.member_change", "study.member_remove"], audited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Only_a_researcher_of_a_study_may_upload_a_new_version_of_its_protocol()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        await using var db = database.CreateContext();
        var code = "members-" + Guid.NewGuid().ToString("N")[..8];
        var json = MiniProtocol.With(d => d["study"]!["code"] = code);
        Assert.True((await new ProtocolImporter(db, TimeProvider.System).ImportAsync(json, Actor.Cli, CancellationToken.None)).Succeeded);
        var studyId = await db.Studies.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher, joinStudies: false);
        using var client = await StaffSession.SignInAsync(app, researcher.Email, joinStudies: false);
        var changed = MiniProtocol.With(d => { d["study"]!["code"] = code; d["waves"]![0]!["window"]!["closes_days"] = 20; });

        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, changed)).StatusCode);
        foreach (var (role, sites) in new[] { (StudyMemberRole.DataManager, (int[]?)null), (StudyMemberRole.Researcher, new[] { 0 }) })
        {
            await db.StudyMembers.Where(m => m.StaffUserId == researcher.Id).ExecuteDeleteAsync();
            db.ChangeTracker.Clear();
            db.StudyMembers.Add(new StudyMember { StaffUserId = researcher.Id, StudyId = studyId, Role = role, CohortIds = sites, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, changed)).StatusCode);
        }
        await db.StudyMembers.Where(m => m.StaffUserId == researcher.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Role, StudyMemberRole.Researcher).SetProperty(m => m.CohortIds, (int[]?)null));
        var allowed = await UploadAsync(client, changed);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("id=\"preview\"", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string json)
    {
        var page = await client.GetStringAsync(new Uri("/protocol/upload", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token)), "__rs_af" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json)), "file", "protocol.json" },
        };
        return await client.PostAsync(new Uri("/protocol/upload", UriKind.Relative), form);
    }

    private static bool SiteOwn(string body) => StudyAccessWorld.SiteC8.Any(c => body.Contains(c, StringComparison.Ordinal));

    private static async Task<HttpClient> ApiClientAsync(TestApp app, StudyDbContext db, StaffUser user)
    {
        var token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "test", CancellationToken.None);
        var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
