using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>Contact details: shown to researchers with an audit entry, never to analysts; bad addresses are refused.</summary>
public sealed class ContactTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task Contact_details_are_shown_to_researchers_with_an_audit_entry_and_never_to_analysts()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0005"];
        var analystUser = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var analyst = await StaffSession.SignInAsync(app, analystUser.Email);

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync(new Uri($"/participants/{p.Id}/contact", UriKind.Relative))).StatusCode);
        var details = await analyst.GetStringAsync(new Uri($"/participants/{p.Id}", UriKind.Relative));
        Assert.DoesNotContain(p.Contact!.Email, details, StringComparison.Ordinal);
        Assert.DoesNotContain("Show contact details", details, StringComparison.Ordinal);

        var shown = await researcher.GetStringAsync(new Uri($"/participants/{p.Id}/contact", UriKind.Relative));
        Assert.Contains(p.Contact.Email, shown, StringComparison.Ordinal);
        await ConsoleActions.AssertAuditedAsync(db, "contact.view", p.Id);

        // Correcting the rejected address makes the participant reachable again.
        var corrected = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/contact", new() { ["Email"] = "fixed-" + p.Contact.Email, ["Name"] = "Person 5" });
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.Null((await db.Participants.AsNoTracking().SingleAsync(x => x.Id == p.Id)).UndeliverableAt);
        await ConsoleActions.AssertAuditedAsync(db, "contact.update", p.Id);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == p.Id.ToString(CultureInfo.InvariantCulture)).ToListAsync();
        Assert.DoesNotContain(audit, a => a.Details != null && a.Details.Contains("example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_first_name_for_the_email_greeting_is_saved_trimmed_and_cleared_when_left_empty()
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0007"];
        var page = $"/participants/{p.Id}/contact";

        Assert.Contains("name=\"FirstName\"", await researcher.GetStringAsync(new Uri(page, UriKind.Relative)), StringComparison.Ordinal);
        var saved = await StaffSession.PostFormAsync(researcher, page, new() { ["Email"] = p.Contact!.Email, ["Name"] = "Person Seven", ["FirstName"] = "  Zofia " });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Zofia", (await db.ContactDetails.AsNoTracking().SingleAsync(c => c.ParticipantId == p.Id)).FirstName);

        var tooLong = await StaffSession.PostFormAsync(researcher, page, new() { ["Email"] = p.Contact.Email, ["FirstName"] = new string('x', 101) });
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Equal("Zofia", (await db.ContactDetails.AsNoTracking().SingleAsync(c => c.ParticipantId == p.Id)).FirstName);

        await StaffSession.PostFormAsync(researcher, page, new() { ["Email"] = p.Contact.Email, ["Name"] = "Person Seven", ["FirstName"] = "" });
        Assert.Null((await db.ContactDetails.AsNoTracking().SingleAsync(c => c.ParticipantId == p.Id)).FirstName);
    }

    [Theory]
    [InlineData("paren(comment)@example.org", "holds a comment in parentheses")]
    [InlineData("colon:x@example.org", "is not a valid email address")]
    [InlineData("x@[10.0.0.1]", "has an IP address instead of a domain name")]
    public async Task A_contact_address_the_mail_software_reads_otherwise_is_refused_and_nothing_changes(string typed, string why)
    {
        var (app, db, world, researcher) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var p = world.Participants["P-0006"];

        var response = await StaffSession.PostFormAsync(researcher, $"/participants/{p.Id}/contact", new() { ["Email"] = typed, ["Name"] = "Person 6" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(why, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(p.Contact!.Email, (await db.ContactDetails.AsNoTracking().SingleAsync(c => c.ParticipantId == p.Id)).Email);
    }
}
