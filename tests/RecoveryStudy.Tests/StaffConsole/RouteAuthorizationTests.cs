using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// Every route the app maps, with the rule it must declare. A new route fails this test until
/// it is added here, so nothing reaches production without someone deciding who may use it.
/// </summary>
public sealed class RouteAuthorizationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Admin = StaffPolicies.Admin;
    private const string Research = StaffPolicies.Research;
    private const string Contacts = StaffPolicies.Contacts;
    private const string Datasets = StaffPolicies.Datasets;
    private const string AnyStaff = StaffPolicies.AnyStaff;
    private const string Anonymous = RouteRules.Anonymous;

    // "METHODS /pattern" => rule. Keep sorted by pattern.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["GET /api/studies/{study}/compare"] = ApiTokenAuth.DataPolicy,
        ["GET /api/studies/{study}/distribution"] = ApiTokenAuth.DataPolicy,
        ["GET /api/studies/{study}/export"] = ApiTokenAuth.DataPolicy,
        ["GET /api/studies/{study}/responses"] = ApiTokenAuth.DataPolicy,
        ["ANY /"] = AnyStaff,
        ["ANY /account/calendar"] = AnyStaff,
        ["ANY /account/password"] = AnyStaff,
        ["ANY /account/language"] = AnyStaff,
        ["ANY /account/tokens"] = AnyStaff,
        ["ANY /account/two-factor"] = AnyStaff,
        ["ANY /account/sign-in-methods"] = AnyStaff,
        ["ANY /admin/accounts"] = Admin,
        // The participant's booking link and page: the link is the credential (404 otherwise), exchanged for the rs_b session.
        ["ANY /b/{**token}"] = Anonymous,
        ["ANY /booking"] = Anonymous,
        ["ANY /admin/audit"] = Admin,
        ["ANY /hangfire/{**path}"] = Admin,
        // The secret URL is the credential: an unknown or revoked token answers 404.
        ["GET /calendar/{token}"] = Anonymous,
        // A participant's single-use link to have a copy of their data emailed; unknown, used or expired: 404.
        ["ANY /copy/{token}"] = Anonymous,
        ["ANY /health"] = Anonymous,
        ["ANY /health/live"] = Anonymous,
        ["ANY /health/ready"] = Anonymous,
        ["ANY /instruments/{versionId:int}/preview"] = AnyStaff,
        // Anonymous to the authorization layer: MetricsAccess answers 404 to anyone not on loopback, a scrape network or an admin.
        ["ANY /metrics"] = Anonymous,
        ["ANY /participants/{id:int}"] = AnyStaff,
        ["ANY /participants/{id:int}/anchors"] = Contacts,
        ["ANY /participants/{id:int}/contact"] = Contacts,
        ["ANY /participants/{id:int}/flags"] = Contacts,
        ["ANY /participants/{id:int}/copy"] = Contacts,
        ["ANY /participants/{id:int}/erase"] = Contacts,
        ["ANY /participants/{id:int}/resend"] = Contacts,
        ["ANY /participants/{id:int}/schedule"] = AnyStaff,
        ["ANY /participants/{id:int}/withdraw"] = Contacts,
        ["ANY /protocol/upload"] = Research,
        ["ANY /s/{**token}"] = Anonymous,
        ["ANY /signin"] = Anonymous,
        // Opens nothing by itself: it answers only with the pending cookie the password step set.
        ["ANY /signin/code"] = Anonymous,
        ["ANY /signout"] = AnyStaff,
        ["ANY /studies/{studyId:int}"] = AnyStaff,
        ["ANY /studies/{studyId:int}/bounces"] = Contacts,
        ["ANY /studies/{studyId:int}/compare"] = AnyStaff,
        ["ANY /studies/{studyId:int}/data"] = Datasets,
        ["ANY /studies/{studyId:int}/distribution"] = AnyStaff,
        ["ANY /studies/{studyId:int}/enroll"] = Research,
        ["ANY /studies/{studyId:int}/outbox"] = Research,
        ["ANY /studies/{studyId:int}/grid"] = AnyStaff,
        ["ANY /studies/{studyId:int}/interviews"] = AnyStaff,
        ["ANY /studies/{studyId:int}/interviews/{taskId:long}"] = Research,
        ["ANY /studies/{studyId:int}/interviews/{taskId:long}/files"] = AnyStaff,
        ["GET /studies/{studyId:int}/interviews/{taskId:long}/files/{fileId}"] = Contacts,
        ["ANY /studies/{studyId:int}/interviews/{taskId:long}/slots"] = Research,
        ["ANY /studies/{studyId:int}/interviews/{taskId:long}/cancel-booking"] = Contacts,
        ["ANY /studies/{studyId:int}/members"] = Admin,
        ["ANY /studies/{studyId:int}/participants"] = AnyStaff,
        ["ANY /studies/{studyId:int}/protocol"] = AnyStaff,
        ["ANY /studies/{studyId:int}/protocol/{version:int}"] = AnyStaff,
        ["ANY /studies/{studyId:int}/responses"] = AnyStaff,
        ["ANY /studies/{studyId:int}/sending"] = Research,
        ["ANY /studies/{studyId:int}/test-email"] = Research,
        ["ANY /studies/{studyId:int}/emails"] = Research,
        ["ANY /survey"] = Anonymous,
        ["ANY /survey/consent"] = Anonymous,
        ["ANY /survey/page/{number:int}"] = Anonymous,
        ["ANY /survey/thanks"] = Anonymous,
        ["ANY /u/{**token}"] = Anonymous,
        ["ANY /unsubscribe"] = Anonymous,
    };

    [Fact]
    public async Task Every_route_declares_the_rule_listed_here()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var actual = RouteRules.Read(app.Services);

        var withoutRule = actual.Where(r => r.Rule == RouteRules.NoRule).Select(r => r.Key).ToList();
        Assert.True(withoutRule.Count == 0, "Routes without an authorization rule: " + string.Join(", ", withoutRule));

        var table = actual.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => string.Join("|", g.Select(r => r.Rule).Distinct()), StringComparer.Ordinal);
        var listing = string.Join("\n", table.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"[\"{kv.Key}\"] = {ConstantName(kv.Value)},"));
        Assert.True(Expected.Count == table.Count && Expected.All(kv => table.TryGetValue(kv.Key, out var rule) && rule == kv.Value),
            "The mapped routes differ from the expected table. Mapped now:\n" + listing);
    }

    [Fact]
    public async Task A_request_without_sign_in_or_with_a_wrong_role_is_refused_on_every_protected_route()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var clients = new Dictionary<string, HttpClient> { [""] = app.CreateClient(followRedirects: false) };
        RouteRules.StudyIds study;
        await using (var db = database.CreateContext())
        {
            // Each account becomes a member of the study with the role of the same name (as the upgrade made them).
            var world = await AnalystWorld.CreateAsync(db);
            study = await StudyAccessWorld.IdsAsync(db, world.Study.Id);
            foreach (var role in StaffRole.All)
            {
                var user = await StaffSession.CreateUserAsync(db, role);
                clients[role] = await StaffSession.SignInAsync(app, user.Email, joinStudies: true);
            }
        }

        var checkedRoutes = 0;
        foreach (var route in RouteRules.Read(app.Services).Where(r => r.Rule != RouteRules.Anonymous))
        {
            var path = route.IsStudyRoute ? RouteRules.PathFor(route.Pattern, study) : RouteRules.SamplePath(route.Pattern);
            var method = route.Methods == "ANY" ? HttpMethod.Get : new HttpMethod(route.Methods.Split(',')[0]);
            var anonymous = await SendAsync(clients[""], method, path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized || SentToSignIn(anonymous), $"{method} {path} without sign-in answered {(int)anonymous.StatusCode}");

            foreach (var role in StaffRole.All)
            {
                var response = await SendAsync(clients[role], method, path);
                if (route.IsStudyRoute ? role == StaffRole.Admin && route.Policies.Count > 0 && route.Policies.All(StaffPolicies.Rules.ContainsKey) || route.MemberRoles.Contains(role) : route.Roles.Contains(role))
                {
                    Assert.False(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || SentToSignIn(response), $"{method} {path} refused {role}, whom its rule allows ({(int)response.StatusCode})");
                }
                else
                {
                    Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{method} {path} as {role} answered {(int)response.StatusCode}");
                }
            }
            checkedRoutes++;
        }
        Assert.True(checkedRoutes >= 3, $"only {checkedRoutes} protected routes were found");
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task An_unmapped_path_is_refused_too()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = app.CreateClient(followRedirects: false);
        var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        Assert.True(SentToSignIn(response));
    }

    private static string ConstantName(string rule) => rule switch
    {
        Admin => nameof(Admin),
        Research => nameof(Research),
        Contacts => nameof(Contacts),
        Datasets => nameof(Datasets),
        AnyStaff => nameof(AnyStaff),
        Anonymous => nameof(Anonymous),
        _ => $"\"{rule}\"",
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        return await client.SendAsync(request);
    }

    private static bool SentToSignIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect
        && response.Headers.Location is Uri location
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString).StartsWith(StaffAuth.SignInPath, StringComparison.Ordinal);
}
