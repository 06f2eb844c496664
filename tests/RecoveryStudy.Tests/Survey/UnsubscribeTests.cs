using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>/u/{token}: stop reminders, stop all email, or withdraw; each chosen, then confirmed, then in force at once.</summary>
public sealed class UnsubscribeTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Opening_the_link_changes_nothing_and_offers_the_three_choices()
    {
        var world = await CreateAsync();
        using var client = new ParticipantClient(app);
        var (response, html, path) = await client.GetAsync("/u/" + world.UnsubscribeToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/unsubscribe", path);
        var page = ParticipantClient.Parse(html);
        Assert.Equal(["reminders", "all", "withdraw"], page.QuerySelectorAll("input[name='Choice']").Select(i => i.GetAttribute("value")));
        await AssertUnchangedAsync(world);
    }

    [Fact]
    public async Task Stopping_reminders_needs_a_confirmation_and_then_cancels_this_waves_reminders()
    {
        var world = await CreateAsync();
        using var client = new ParticipantClient(app);
        var confirm = await ChooseAsync(client, world, "reminders");
        Assert.Contains("Stop reminders for this survey?", confirm, StringComparison.Ordinal);
        await AssertUnchangedAsync(world);

        var done = await ConfirmAsync(client, confirm, "reminders");
        Assert.Contains("Reminders stopped", done, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.NotNull((await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id)).RemindersStoppedAt);
        Assert.Null((await db.Participants.SingleAsync(p => p.Id == world.Participant.Id)).OptedOutAt);
        var messages = await db.Messages.Where(m => m.InvitationId == world.Invitation.Id && m.Kind != MessageKind.Invitation).ToListAsync();
        Assert.All(messages, m => Assert.Equal((MessageStatus.Cancelled, "reminders_stopped"), (m.Status, m.CancelReason)));
    }

    [Fact]
    public async Task Stopping_all_email_cancels_every_queued_message_of_the_participant_and_is_audited()
    {
        var world = await CreateAsync();
        var otherWave = await AddQueuedInvitationInAnotherWaveAsync(world);
        using var client = new ParticipantClient(app);
        var done = await ConfirmAsync(client, await ChooseAsync(client, world, "all"), "all");

        Assert.Contains("You will get no more emails from this study", done, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.NotNull((await db.Participants.SingleAsync(p => p.Id == world.Participant.Id)).OptedOutAt);
        Assert.Equal(0, await db.Messages.CountAsync(m => (m.InvitationId == world.Invitation.Id || m.InvitationId == otherWave) && m.Status == MessageStatus.Queued));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "participant.opt_out" && a.TargetId == world.Participant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("participant", audit.ActorKind);
        Assert.Null(audit.Details);
    }

    [Fact]
    public async Task Withdrawing_with_a_reason_ends_participation_and_the_survey_link_shows_a_plain_notice()
    {
        var world = await CreateAsync();
        var otherWave = await AddQueuedInvitationInAnotherWaveAsync(world);
        var started = await StartAnsweringAsync(world);
        using var client = new ParticipantClient(app);
        var confirm = await ChooseAsync(client, world, "withdraw");
        Assert.NotNull(ParticipantClient.Parse(confirm).QuerySelector("textarea#reason"));
        var done = await ConfirmAsync(client, confirm, "withdraw", ("Reason", "Too much at the moment"));

        Assert.Contains("You are no longer taking part in this study", done, StringComparison.Ordinal);
        await using (var db = database.CreateContext())
        {
            var participant = await db.Participants.SingleAsync(p => p.Id == world.Participant.Id);
            Assert.Equal(ParticipantStatus.Withdrawn, participant.Status);
            Assert.NotNull(participant.WithdrawnAt);
            Assert.Equal("Too much at the moment", participant.WithdrawalReason);
            Assert.All(await db.Invitations.Where(i => i.ParticipantId == participant.Id).ToListAsync(), i => Assert.Equal(InvitationStatus.Withdrawn, i.Status));
            Assert.Equal(0, await db.Messages.CountAsync(m => (m.InvitationId == world.Invitation.Id || m.InvitationId == otherWave) && m.Status == MessageStatus.Queued));
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "participant.withdraw" && a.TargetId == world.Participant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.DoesNotContain("Too much", audit.Details ?? "", StringComparison.Ordinal);
            // The answers already given stay, in a response marked incomplete (as at a window's close).
            var response = await db.Responses.Include(r => r.Answers).SingleAsync(r => r.Id == started);
            Assert.Equal(ResponseStatus.Incomplete, response.Status);
            Assert.Equal(42m, Assert.Single(response.Answers).NumericValue);
        }

        using var survey = new ParticipantClient(app);
        var (_, html, _) = await survey.GetAsync("/s/" + world.SurveyToken);
        Assert.Contains("You are no longer taking part in this study", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirming_without_a_choice_or_without_the_anti_forgery_token_changes_nothing()
    {
        var world = await CreateAsync();
        using var client = new ParticipantClient(app);
        var (_, html, _) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        var token = ParticipantClient.AntiforgeryToken(html);

        var empty = await client.PostAsync("/unsubscribe?handler=Confirm", [new("__rs_af", token)]);
        Assert.Contains("Please choose one of the options.", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forged = await client.PostAsync("/unsubscribe?handler=Confirm", [new("Choice", "withdraw")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await AssertUnchangedAsync(world);
    }

    [Fact]
    public async Task The_one_click_post_stops_all_email_without_cookies_token_or_redirect()
    {
        var world = await CreateAsync();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        var response = await client.PostAsync(new Uri("/u/" + world.UnsubscribeToken, UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        await using var db = database.CreateContext();
        Assert.NotNull((await db.Participants.SingleAsync(p => p.Id == world.Participant.Id)).OptedOutAt);
        Assert.Equal(0, await db.Messages.CountAsync(m => m.InvitationId == world.Invitation.Id && m.Status == MessageStatus.Queued));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "participant.opt_out" && a.TargetId == world.Participant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_one_click_post_with_a_wrong_body_or_token_changes_nothing()
    {
        var world = await CreateAsync();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var wrongBody = new FormUrlEncodedContent([new("List-Unsubscribe", "Yes")]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/u/" + world.UnsubscribeToken, UriKind.Relative), wrongBody)).StatusCode);
        using var oneClick = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri("/u/" + world.SurveyToken, UriKind.Relative), oneClick)).StatusCode);
        await AssertUnchangedAsync(world);
    }

    private async Task<long> StartAnsweringAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        var now = DateTime.UtcNow;
        var item = await db.Items.FirstAsync(i => i.InstrumentVersionId == world.Course.Id);
        var response = new Response
        {
            InvitationId = world.Invitation.Id, InstrumentVersionId = world.Course.Id, Status = ResponseStatus.InProgress,
            StartedAt = now, UpdatedAt = now,
            Answers = [new Answer { ItemId = item.Id, NumericValue = 42m, AnsweredAt = now }],
        };
        db.Responses.Add(response);
        await db.SaveChangesAsync();
        return response.Id;
    }

    private async Task<SurveyWorld> CreateAsync()
    {
        await using var db = database.CreateContext();
        return await SurveyWorld.CreateAsync(db);
    }

    private static async Task<string> ChooseAsync(ParticipantClient client, SurveyWorld world, string choice)
    {
        var (_, html, _) = await client.GetAsync("/u/" + world.UnsubscribeToken);
        var response = await client.PostAsync("/unsubscribe?handler=Choose", [new("__rs_af", ParticipantClient.AntiforgeryToken(html)), new("Choice", choice)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> ConfirmAsync(ParticipantClient client, string confirmPage, string choice, params (string Name, string Value)[] extra)
    {
        var fields = new List<KeyValuePair<string, string>> { new("__rs_af", ParticipantClient.AntiforgeryToken(confirmPage)), new("Choice", choice) };
        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        var response = await client.PostAsync("/unsubscribe?handler=Confirm", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<long> AddQueuedInvitationInAnotherWaveAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        var wave = new RecoveryStudy.Waves.Wave { StudyId = world.Study.Id, Code = "followup", Anchor = "course_end", WindowOpensDays = 0, WindowClosesDays = 28 };
        db.Waves.Add(wave);
        await db.SaveChangesAsync();
        var invitation = new RecoveryStudy.Scheduling.Invitation
        {
            StudyId = world.Study.Id, ParticipantId = world.Participant.Id, WaveId = wave.Id, DueDate = new DateOnly(2028, 1, 1),
            OpensAt = new DateTime(2028, 1, 1, 8, 0, 0, DateTimeKind.Utc), ClosesAt = new DateTime(2028, 1, 29, 8, 0, 0, DateTimeKind.Utc), PlannedAt = DateTime.UtcNow,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        db.Messages.Add(new RecoveryStudy.Mail.Message
        {
            InvitationId = invitation.Id, Kind = MessageKind.Invitation, DueAt = invitation.OpensAt, NextAttemptAt = invitation.OpensAt, CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return invitation.Id;
    }

    private async Task AssertUnchangedAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        var participant = await db.Participants.SingleAsync(p => p.Id == world.Participant.Id);
        Assert.Equal((ParticipantStatus.Active, (DateTime?)null, (DateTime?)null), (participant.Status, participant.OptedOutAt, participant.WithdrawnAt));
        Assert.Null((await db.Invitations.SingleAsync(i => i.Id == world.Invitation.Id)).RemindersStoppedAt);
        Assert.Equal(3, await db.Messages.CountAsync(m => m.InvitationId == world.Invitation.Id && m.Status == MessageStatus.Queued));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.TargetId == world.Participant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
