using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// Informed consent in a real Chromium (issue 21): the consent page comes before the first
/// instrument; an agreement is stored with its clause answers and its copy reaches the SMTP
/// sink; a refusal is stored and ends the emails.
/// </summary>
public sealed class ConsentFlowBrowserTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Participant_agrees_and_receives_a_copy_with_their_clause_answers(bool optionalTicked)
    {
        var address = $"consent.{optionalTicked}.{Guid.NewGuid():N}@example.org";
        SurveyWorld world;
        int protocolVersionId;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
            protocolVersionId = (await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(version: 3), address)).Id;
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);

        await using (var context = await Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(app.BaseAddress, "s/" + world.SurveyToken).ToString());
            Assert.Equal(new Uri(app.BaseAddress, "survey/consent").ToString(), page.Url);
            Assert.Equal("Consent to take part", await page.Locator("h1").TextContentAsync());

            // Only the optional clause ticked: the page names the required clause left open, and stores nothing.
            await page.GetByLabel(ConsentWorld.FutureContact).CheckAsync();
            await page.GetByLabel(ConsentWorld.TakePart).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "I agree", Exact = true }).ClickAsync();
            var summary = await page.Locator(".error-summary").TextContentAsync() ?? "";
            Assert.Contains(ConsentWorld.DataUse, summary, StringComparison.Ordinal);
            Assert.DoesNotContain(ConsentWorld.TakePart, summary, StringComparison.Ordinal);
            Assert.True(await page.GetByLabel(ConsentWorld.TakePart).IsCheckedAsync(), "the ticks given are kept");
            await using (var db = database.CreateContext())
            {
                Assert.False(await db.ConsentRecords.AnyAsync(c => c.ParticipantId == world.Participant.Id));
            }

            await page.GetByLabel(ConsentWorld.DataUse).CheckAsync();
            if (!optionalTicked)
            {
                await page.GetByLabel(ConsentWorld.FutureContact).UncheckAsync();
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "I agree", Exact = true }).ClickAsync();
            Assert.Equal(new Uri(app.BaseAddress, "survey").ToString(), page.Url);
            Assert.Equal("After the course", await page.Locator("h1").TextContentAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "Start" }).ClickAsync();
            Assert.Equal("About the course", await page.Locator("h1").TextContentAsync());
        }

        await using (var db = database.CreateContext())
        {
            var record = await db.ConsentRecords.SingleAsync(c => c.ParticipantId == world.Participant.Id);
            Assert.Equal((ConsentDecision.Agreed, "main", 3, protocolVersionId, world.Invitation.Id, "en"),
                (record.Decision, record.ConsentCode, record.ConsentVersion, record.ProtocolVersionId, record.InvitationId, record.Language));
            Assert.Equal(new Dictionary<string, bool> { ["take_part"] = true, ["data_use"] = true, ["future_contact"] = optionalTicked }, record.ClauseAnswers);
            Assert.InRange(record.GivenAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow);
            await db.Participants.Where(p => p.Id == world.Participant.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScheduleStale, false));
        }

        await using var dataSource = database.CreateDataSource();
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        var jobs = new Jobs(dataSource, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)), transport);
        await jobs.Dispatcher().DispatchBatchAsync(CancellationToken.None);
        Assert.True(await Poll.UntilAsync(() => sink.Messages().Any(m => m.To.Mailboxes.Any(b => b.Address == address)), TimeSpan.FromSeconds(10)));
        var copy = sink.Messages().Single(m => m.To.Mailboxes.Any(b => b.Address == address));
        Assert.Equal("Your copy of your consent: Consent to take part", copy.Subject);
        var body = copy.TextBody ?? "";
        Assert.Contains("You may stop at any time.", body, StringComparison.Ordinal);
        Assert.Contains("[x] " + ConsentWorld.TakePart + " - yes", body, StringComparison.Ordinal);
        Assert.Contains("[x] " + ConsentWorld.DataUse + " - yes", body, StringComparison.Ordinal);
        Assert.Contains((optionalTicked ? "[x] " : "[ ] ") + ConsentWorld.FutureContact + (optionalTicked ? " - yes" : " - no"), body, StringComparison.Ordinal);
        Assert.Contains("Consent given: ", body, StringComparison.Ordinal);
        Assert.Contains("(Europe/Warsaw)", body, StringComparison.Ordinal);
        await using (var db = database.CreateContext())
        {
            var message = await db.Messages.SingleAsync(m => m.InvitationId == world.Invitation.Id && m.Kind == MessageKind.ConsentCopy);
            Assert.Equal((MessageStatus.Sent, 3), (message.Status, message.Step));
        }
    }

    [Fact]
    public async Task Participant_who_declines_is_recorded_not_asked_again_and_gets_no_more_email()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db, language: "da");
            await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(), $"decline.{Guid.NewGuid():N}@example.org");
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        var link = new Uri(app.BaseAddress, "s/" + world.SurveyToken).ToString();

        await using (var context = await Browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal("Samtykke til deltagelse", await page.Locator("h1").TextContentAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Jeg giver ikke samtykke" }).ClickAsync();
            Assert.Equal("Du deltager ikke i denne undersøgelse", await page.Locator("h1").TextContentAsync());

            // Not asked again, and no instrument by its address either.
            await page.GotoAsync(link);
            Assert.Equal("Du deltager ikke i denne undersøgelse", await page.Locator("h1").TextContentAsync());
            await page.GotoAsync(new Uri(app.BaseAddress, "survey/page/1").ToString());
            Assert.Equal(new Uri(app.BaseAddress, "survey").ToString(), page.Url);
            await page.GotoAsync(new Uri(app.BaseAddress, "survey/consent").ToString());
            Assert.Equal(new Uri(app.BaseAddress, "survey").ToString(), page.Url);
        }

        await using var check = database.CreateContext();
        var record = await check.ConsentRecords.SingleAsync(c => c.ParticipantId == world.Participant.Id);
        Assert.Equal((ConsentDecision.Declined, "da", 0), (record.Decision, record.Language, record.ClauseAnswers.Count));
        var participant = await check.Participants.SingleAsync(p => p.Id == world.Participant.Id);
        Assert.NotNull(participant.OptedOutAt);
        var messages = await check.Messages.Where(m => m.InvitationId == world.Invitation.Id).ToListAsync();
        Assert.DoesNotContain(messages, m => m.Status == MessageStatus.Queued);
        Assert.Equal(3, messages.Count(m => m.CancelReason == ConsentAnswer.ReasonDeclined));
        Assert.DoesNotContain(messages, m => m.Kind == MessageKind.ConsentCopy);
        Assert.Equal(0, await check.Responses.CountAsync(r => r.InvitationId == world.Invitation.Id));
    }
}
