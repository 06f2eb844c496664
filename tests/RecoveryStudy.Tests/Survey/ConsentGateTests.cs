using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Consent;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Without an agreement no instrument is shown or saved, whatever address or form is sent; a new consent version asks again only with re-consent.</summary>
public sealed class ConsentGateTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Instrument_pages_are_neither_shown_nor_saved_before_consent()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
            await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent());
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = new ParticipantClient(app);
        var (_, consentPage, path) = await client.GetAsync("/s/" + world.SurveyToken);
        Assert.Equal("/survey/consent", path);

        var (_, _, pagePath) = await client.GetAsync("/survey/page/1");
        Assert.Equal("/survey/consent", pagePath);

        var posted = await client.PostAsync("/survey/page/1", [
            new("__rs_af", ParticipantClient.AntiforgeryToken(consentPage)), new("nav", "next"),
            new("mod_useful", "4"), new("recommend", "1"), new("attended", "1")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/survey", posted.Headers.Location?.OriginalString);

        // Agreeing without the anti-forgery token is refused and stores nothing.
        var forged = await client.PostAsync("/survey/consent", [new("decision", "agree"), new("clause", "take_part"), new("clause", "data_use")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Responses.CountAsync(r => r.InvitationId == world.Invitation.Id));
        Assert.False(await check.ConsentRecords.AnyAsync(c => c.ParticipantId == world.Participant.Id));
    }

    [Theory]
    [InlineData(true, false, ConsentNeed.Ask)]
    [InlineData(false, false, ConsentNeed.None)]
    [InlineData(true, true, ConsentNeed.None)]
    public async Task A_new_consent_version_is_asked_again_only_with_reconsent_and_before_a_wave_is_started(bool reconsent, bool started, ConsentNeed expected)
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        var first = await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(version: 1));
        var clock = TimeProvider.System;
        var agreed = await ConsentAnswer.RecordAsync(db, clock,
            new ConsentRequest(world.Invitation.Id, true, new HashSet<string> { "take_part", "data_use" }, "en"), CancellationToken.None);
        Assert.True(agreed.Stored);
        Assert.Equal(ConsentNeed.None, (await ConsentGate.CheckAsync(db, world.Invitation.Id, CancellationToken.None))!.Need);
        if (started)
        {
            db.Responses.Add(new RecoveryStudy.Survey.Response
            {
                InvitationId = world.Invitation.Id, InstrumentVersionId = world.Course.Id, Status = RecoveryStudy.Data.ResponseStatus.InProgress,
                StartedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(version: 2, reconsent: reconsent));

        Assert.True(first.Id > 0);
        Assert.Equal(expected, (await ConsentGate.CheckAsync(db, world.Invitation.Id, CancellationToken.None))!.Need);
    }

    [Fact]
    public async Task Agreeing_without_a_required_clause_stores_nothing_and_names_the_clause()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent());
        var outcome = await ConsentAnswer.RecordAsync(db, TimeProvider.System,
            new ConsentRequest(world.Invitation.Id, true, new HashSet<string> { "take_part", "future_contact" }, "en"), CancellationToken.None);
        Assert.False(outcome.Stored);
        Assert.Equal(["data_use"], outcome.MissingClauses);
        Assert.False(await db.ConsentRecords.AnyAsync(c => c.ParticipantId == world.Participant.Id));
        Assert.False(await db.Messages.AnyAsync(m => m.InvitationId == world.Invitation.Id && m.Kind == RecoveryStudy.Data.MessageKind.ConsentCopy));
    }
}
