using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.StaffConsole;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>The console's copy of one participant's data: complete, only for contact rights, audited.</summary>
public sealed class DataCopyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task A_researcher_gets_answers_emails_state_and_contact_details_as_json_and_html_and_it_is_audited()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0001"];
        var story = "I walked to the lighthouse " + Guid.NewGuid().ToString("N")[..6];
        await DataRightsWorld.AnswerAsync(db, world.Invitations["P-0001"].Id, story);
        await db.Participants.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.OptedOutAt, DateTime.UtcNow));
        await DataRightsWorld.ConsentAsync(db, world.Study.Id, p.Id, world.Invitations["P-0001"].Id, futureContact: false);

        var json = await researcher.GetAsync(new Uri($"/participants/{p.Id}/copy?format=json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal(p.Contact!.Email, root.GetProperty("roster").GetProperty("email").GetString());
        Assert.Equal("P-0001", root.GetProperty("roster").GetProperty("code").GetString());
        Assert.Equal("ed8", root.GetProperty("roster").GetProperty("cohort").GetString());
        Assert.NotEqual(JsonValueKind.Null, root.GetProperty("state").GetProperty("opted_out_of_email_at").ValueKind);
        var wave = Assert.Single(root.GetProperty("waves").EnumerateArray());
        Assert.Equal("baseline", wave.GetProperty("wave").GetString());
        var response = Assert.Single(wave.GetProperty("responses").EnumerateArray());
        Assert.Equal("who5", response.GetProperty("instrument").GetString());
        Assert.Equal(1, response.GetProperty("instrument_version").GetInt32());
        Assert.Contains(response.GetProperty("answers").EnumerateArray(), a => a.GetProperty("answer").GetString() == story);
        var email = Assert.Single(root.GetProperty("emails").EnumerateArray());
        Assert.Equal("invitation", email.GetProperty("kind").GetString());
        Assert.NotEqual(JsonValueKind.Null, email.GetProperty("sent_at").ValueKind);
        var consent = Assert.Single(root.GetProperty("consents").EnumerateArray());
        Assert.Equal(("main", "agreed"), (consent.GetProperty("consent").GetString(), consent.GetProperty("decision").GetString()));
        Assert.False(consent.GetProperty("clauses").GetProperty("future_contact").GetBoolean());

        var html = await researcher.GetAsync(new Uri($"/participants/{p.Id}/copy?format=html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        var text = await html.Content.ReadAsStringAsync();
        Assert.Contains(story, text, StringComparison.Ordinal);
        Assert.Contains(p.Contact.Email, text, StringComparison.Ordinal);
        Assert.Contains("future_contact: no", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", text, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "participant.data_copy" && a.TargetId == p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.StaffUserId != null));
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().Select(a => a.Details).ToListAsync(), d => d != null && d.Contains(story, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analysts_and_viewers_get_no_copy_and_an_unknown_format_is_refused_by_name()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0002"];
        var analystUser = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var analyst = await StaffSession.SignInAsync(app, analystUser.Email);
        var viewerUser = await StaffSession.CreateUserAsync(db, StaffRole.Researcher, joinStudies: false);
        db.StudyMembers.Add(new StudyMember { StaffUserId = viewerUser.Id, StudyId = world.Study.Id, Role = StudyMemberRole.Viewer, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        using var viewer = await StaffSession.SignInAsync(app, viewerUser.Email, joinStudies: false);

        foreach (var client in new[] { analyst, viewer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri($"/participants/{p.Id}/copy?format=json", UriKind.Relative))).StatusCode);
            Assert.DoesNotContain("/copy", await client.GetStringAsync(new Uri($"/participants/{p.Id}", UriKind.Relative)), StringComparison.Ordinal);
        }
        var bad = await researcher.GetAsync(new Uri($"/participants/{p.Id}/copy?format=pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("format", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "participant.data_copy"));
    }
}
