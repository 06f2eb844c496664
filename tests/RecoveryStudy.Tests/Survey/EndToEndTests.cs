using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The issue's whole story: the RA course protocol imported, a trainee enrolled, the scheduler
/// mails the post-course invitation to a real SMTP server, and Chromium follows the link from
/// that email, answers part, leaves, comes back and finishes.
/// </summary>
public sealed partial class EndToEndTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task A_trainee_answers_the_post_course_wave_from_the_emailed_link_leaving_and_coming_back()
    {
        var clock = new FakeTimeProvider(MailWorld.DueMoment);
        int studyId;
        Participants.Participant participant;
        await using (var db = database.CreateContext())
        {
            var imported = await new ProtocolImporter(db, clock).ImportAsync(Seeds.Read(Seeds.RaCourse), Actor.Cli, CancellationToken.None);
            Assert.True(imported.Succeeded, string.Join("; ", imported.Problems));
            studyId = imported.StudyId;
            await db.Studies.Where(s => s.Id == studyId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StudyStatus.Active));
            var study = await db.Studies.SingleAsync(s => s.Id == studyId);
            participant = await new StudyBuilder(db).ParticipantAsync(study, "P-E2E", new DateOnly(2026, 10, 1),
                new Dictionary<string, DateOnly> { ["course_start"] = new(2026, 10, 5), ["course_end"] = new(2027, 3, 1) }, email: "trainee.e2e@example.org");
        }
        await using var dataSource = database.CreateDataSource();
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        await new Jobs(dataSource, clock, transport).TickAsync();

        var email = (await sink.WaitForAsync(1)).Single(m => m.To.Mailboxes.Any(b => b.Address == "trainee.e2e@example.org"));
        // The link's host is the jobs' configured public address; its path and token are what this host serves.
        var token = LinkPattern().Match(email.TextBody ?? "").Groups[1].Value;
        Assert.Equal(43, token.Length);
        var unsubscribeToken = UnsubscribePattern().Match(email.TextBody ?? "").Groups[1].Value;

        await using var app = await TestApp.StartAsync(database.ConnectionString, configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var link = new Uri(app.BaseAddress, "/s/" + token).ToString();
        var answered = new HashSet<string>(StringComparer.Ordinal);

        await using (var first = await Browser.NewContextAsync())
        {
            var page = await first.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal("At the end of the course", await page.Locator("h1").TextContentAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();
            for (var i = 0; i < 3; i++)
            {
                await AnswerPageAsync(page, answered);
                await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
                Assert.Equal(0, await page.Locator(".field-error").CountAsync());
            }
        }

        await using (var second = await Browser.NewContextAsync(javaScript: false))
        {
            var page = await second.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Contains("Welcome back", await page.ContentAsync(), StringComparison.Ordinal);
            for (var pages = 0; pages < 60 && !page.Url.EndsWith("/survey/thanks", StringComparison.Ordinal); pages++)
            {
                await AnswerPageAsync(page, answered);
                var submit = page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" });
                await (await submit.CountAsync() > 0 ? submit : page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" })).ClickAsync();
                Assert.Equal(0, await page.Locator(".field-error").CountAsync());
            }
            Assert.EndsWith("/survey/thanks", page.Url, StringComparison.Ordinal);
        }

        await using var check = database.CreateContext();
        var invitation = await check.Invitations.Include(i => i.Wave).SingleAsync(i => i.ParticipantId == participant.Id && i.Wave!.Code == "post_course");
        Assert.Equal(("post_course", InvitationStatus.Completed), (invitation.Wave!.Code, invitation.Status));
        var responses = await check.Responses.Include(r => r.Answers).Include(r => r.InstrumentVersion!).ThenInclude(v => v.Instrument)
            .Where(r => r.InvitationId == invitation.Id).ToListAsync();
        Assert.Equal(["course_eval", "employment", "further_ed", "who5"], responses.Select(r => r.InstrumentVersion!.Instrument!.Code).Order());
        Assert.All(responses, r => Assert.Equal(ResponseStatus.Complete, r.Status));
        var stored = await check.Answers.Where(a => responses.Select(r => r.Id).Contains(a.ResponseId))
            .Join(check.Items, a => a.ItemId, i => i.Id, (a, i) => new { i.Code, i.InstrumentVersionId, a.ResponseId }).ToListAsync();
        Assert.True(answered.Count >= 30, $"only {answered.Count} questions answered");
        Assert.Equal(answered.Order(), stored.Select(s => s.Code).Order());
        Assert.All(stored, s => Assert.Equal(responses.Single(r => r.Id == s.ResponseId).InstrumentVersionId, s.InstrumentVersionId));
        var messages = await check.Messages.Where(m => m.InvitationId == invitation.Id).ToListAsync();
        Assert.Contains(messages, m => m.Kind == MessageKind.Reminder);
        Assert.All(messages.Where(m => m.Kind != MessageKind.Invitation), m => Assert.Equal(MessageStatus.Cancelled, m.Status));

        // The email's unsubscribe link leads to the choices page too.
        using var client = new ParticipantClient(app);
        var (_, html, path) = await client.GetAsync("/u/" + unsubscribeToken);
        Assert.Equal("/unsubscribe", path);
        Assert.Contains("What would you like to do?", html, StringComparison.Ordinal);
    }

    /// <summary>Answers every question on the page with a valid value of its kind (the first choice, a number, a date, text).</summary>
    private static async Task AnswerPageAsync(IPage page, HashSet<string> answered)
    {
        foreach (var question in await page.Locator("form .question").AllAsync())
        {
            var field = question.Locator("input:not([type=hidden]), textarea").First;
            var name = await field.GetAttributeAsync("name") ?? "";
            var type = await field.GetAttributeAsync("type");
            if (type is "radio" or "checkbox")
            {
                await field.CheckAsync();
            }
            else if (type == "date")
            {
                await field.FillAsync("2024-05-01");
            }
            else if (await field.GetAttributeAsync("inputmode") == "decimal")
            {
                await field.FillAsync("20");
            }
            else
            {
                await field.FillAsync("An answer in words");
            }
            answered.Add(name);
        }
    }

    [GeneratedRegex(@"/s/([A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"/u/([A-Za-z0-9_-]{43})")]
    private static partial Regex UnsubscribePattern();
}
