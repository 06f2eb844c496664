using System.Globalization;
using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>A session cookie is only as good as the link it was opened with: revoking the link (as resend does) ends it.</summary>
public sealed class RevokedLinkSessionTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_survey_session_opened_with_a_link_ends_when_the_link_is_revoked()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = new ParticipantClient(app);
        var (opened, openedHtml, path) = await client.GetAsync("/s/" + world.SurveyToken);
        Assert.Equal((HttpStatusCode.OK, "/survey"), (opened.StatusCode, path));
        Assert.Contains("After the course", openedHtml, StringComparison.Ordinal);

        await using (var db = database.CreateContext())
        {
            Assert.Equal(2, await ParticipantLinks.RevokeAsync(db, world.Invitation.Id, DateTime.UtcNow, default));
        }

        var (_, survey, _) = await client.GetAsync("/survey");
        Assert.Contains("Please open your link again", survey, StringComparison.Ordinal);
        Assert.DoesNotContain("After the course", survey, StringComparison.Ordinal);
        var (_, page, pagePath) = await client.GetAsync("/survey/page/1");
        Assert.Equal("/survey", pagePath);
        Assert.Contains("Please open your link again", page, StringComparison.Ordinal);
        var (link, _, _) = await client.GetAsync("/s/" + world.SurveyToken);
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
    }

    [Fact]
    public async Task An_unsubscribe_session_opened_with_a_link_ends_when_the_link_is_revoked()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = new ParticipantClient(app);
        var (_, choices, _) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        Assert.Contains("name=\"Choice\"", choices, StringComparison.Ordinal);

        await using (var db = database.CreateContext())
        {
            await ParticipantLinks.RevokeAsync(db, world.Invitation.Id, DateTime.UtcNow, default);
        }

        var (_, after, _) = await client.GetAsync("/unsubscribe");
        Assert.DoesNotContain("name=\"Choice\"", after, StringComparison.Ordinal);
        Assert.Contains("open the unsubscribe link from one of our emails", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resending_from_the_console_ends_the_session_opened_with_the_old_link()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var participant = new ParticipantClient(app);
        var (_, opened, _) = await participant.GetAsync("/s/" + world.SurveyToken);
        Assert.Contains("After the course", opened, StringComparison.Ordinal);

        string email;
        await using (var db = database.CreateContext())
        {
            email = (await StaffSession.CreateUserAsync(db, StaffRole.Researcher)).Email;
        }
        using var staff = await StaffSession.SignInAsync(app, email);
        var resend = await StaffSession.PostFormAsync(staff, $"/participants/{world.Participant.Id}/resend",
            new() { ["invitationId"] = world.Invitation.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);

        var (_, survey, _) = await participant.GetAsync("/survey");
        Assert.Contains("Please open your link again", survey, StringComparison.Ordinal);
        Assert.DoesNotContain("After the course", survey, StringComparison.Ordinal);
    }
}
